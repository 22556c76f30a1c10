// The browser session of a spec file: the release build served like a static host, and a
// fresh Chromium profile for every test, so no test depends on what another left (saved
// files, progress, tables) or on the order they run in; a test that needs tables makes them
// itself (`generateAndRun`). Pages a failed test left open are screenshotted and closed, then
// the test's browser.
import { after, afterEach, before, beforeEach } from "node:test";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serveDir } from "./serve.mjs";
import { launch, watchErrors } from "./browser.mjs";

export const DIST = resolve(process.env.DIST ?? new URL("../../dist", import.meta.url).pathname);
export const OUT = resolve(new URL("./output", import.meta.url).pathname);

/**
 * Registers the hooks; the returned object's `origin` is set once `before` ran and its
 * `context` (the browser of the running test) before each test.
 */
export function browserSession() {
  const session = { server: null, context: null, origin: null };
  before(async () => {
    await mkdir(OUT, { recursive: true });
    session.server = await serveDir(DIST);
    session.origin = `http://127.0.0.1:${session.server.address().port}`;
  });
  beforeEach(async () => {
    session.context = await launch();
  });
  afterEach(async () => {
    for (const [i, page] of session.context.pages().entries()) {
      await page.screenshot({ path: join(OUT, `left-open-${Date.now()}-${i}.png`), fullPage: true }).catch(() => {});
      await page.close();
    }
    await session.context.close();
    session.context = null;
  });
  after(async () => {
    await session.context?.close();
    session.server?.close();
  });
  /**
   * A new page at `path`, its errors watched, once its heading shows; with `engine`, also once
   * the engine said it is ready.
   */
  session.open = async (path, { engine = false } = {}) => {
    const page = await session.context.newPage();
    const errors = watchErrors(page);
    await session.visit(page, path, { engine });
    return { page, errors };
  };
  /** Takes `page` to `path` (the same profile, so the same saved work), as `open` waits. */
  session.visit = async (page, path, { engine = false } = {}) => {
    await page.goto(session.origin + path);
    await page.locator("main h1").first().waitFor();
    if (engine) await engineReady(page);
  };
  return session;
}

const LONG = { timeout: 180_000 };

/**
 * Generates a preset of `seed` and runs one update, the way the page offers it: a lesson's
 * "Generate the data" and "Run the pipeline" cells when the page has them, else the
 * workbench's Data tab and toolbar (then back on its Files tab, as it opens). Resolves once
 * the update completed, with the generator's and the run's regions (the page itself for the
 * workbench's run).
 */
export async function generateAndRun(page, { seed = 1, preset = "tiny" } = {}) {
  const cell = page.getByRole("region", { name: "Generate the data" });
  const inLesson = (await cell.count()) > 0;
  if (!inLesson) await page.getByRole("tab", { name: "Data", exact: true }).click();
  const generator = inLesson ? cell : page.getByTestId("generator");
  await generator.getByLabel("Seed").fill(String(seed));
  await generator.getByRole("radio", { name: new RegExp(preset, "i") }).check();
  await generator.getByRole("button", { name: "Generate", exact: true }).click();
  await generator.getByTestId("generator-summary").filter({ hasText: new RegExp(`seed ${seed}, ${preset} preset`, "i") }).waitFor(LONG);
  const run = inLesson ? page.getByRole("region", { name: "Run the pipeline" }) : page;
  await run.getByRole("button", { name: "Run update" }).click();
  if (inLesson) {
    await run.getByTestId("graph-node-inspection_gold").filter({ hasText: "Completed" }).waitFor(LONG);
  } else {
    await page.getByTestId("status-line").filter({ hasText: /completed/i }).waitFor(LONG);
    await page.getByRole("tab", { name: "Files" }).click();
  }
  return { generator, run };
}

/** Resolves once the page's engine worker said it is ready. */
export const engineReady = (page) =>
  page.waitForFunction(() => document.documentElement.dataset.engineReadyMs, null, { timeout: 120_000 });

/**
 * Resolves once the async `check()` (run here, in Node) resolves truthy, polling every 100 ms
 * until `timeout` ms. For conditions on the page's storage: `page.waitForFunction` with an async
 * predicate does not poll, since it takes the returned Promise as a truthy answer and settles
 * with that Promise's first value.
 */
export async function until(check, timeout = LONG.timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`still false after ${timeout} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The learner's saved files: the workspace document in the page's origin-private file system,
 * as text, or null before the first save has created it.
 */
export const savedDocument = (page) =>
  page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    try {
      return await (await (await root.getFileHandle("iotwb-workspace.json")).getFile()).text();
    } catch (e) {
      if (e.name === "NotFoundError") return null;
      throw e;
    }
  });

/**
 * Resolves once the saved document holds `text` in some file. Saving waits for typing to pause
 * and then writes asynchronously, so a fixed wait races it on a loaded machine.
 */
export const savedContains = (page, text) =>
  until(async () => {
    const doc = await savedDocument(page);
    const holds = (v) => (typeof v === "string" ? v.includes(text) : v !== null && typeof v === "object" && Object.values(v).some(holds));
    return doc !== null && holds(JSON.parse(doc));
  });
