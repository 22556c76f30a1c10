// The browser session of a spec file: the release build served like a static host, and a
// fresh Chromium profile for every test, so no test depends on what another left (saved
// files, progress, tables) or on the order they run in. Pages a failed test left open are
// screenshotted and closed, then the test's browser. A spec whose tests are one story (each
// building on the data the first one generated) asks for `{ shared: true }`: one profile for
// the file.
import { after, afterEach, before, beforeEach } from "node:test";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serveDir } from "./serve.mjs";
import { launch, watchErrors } from "./browser.mjs";

export const DIST = resolve(process.env.DIST ?? new URL("../../dist", import.meta.url).pathname);
export const OUT = resolve(new URL("./output", import.meta.url).pathname);

/**
 * Registers the hooks; the returned object's `origin` is set once `before` ran and its
 * `context` (the browser of the running test, or of the file when `shared`) before each test.
 */
export function browserSession({ shared = false } = {}) {
  const session = { server: null, context: null, origin: null };
  before(async () => {
    await mkdir(OUT, { recursive: true });
    session.server = await serveDir(DIST);
    session.origin = `http://127.0.0.1:${session.server.address().port}`;
    if (shared) session.context = await launch();
  });
  beforeEach(async () => {
    if (!shared) session.context = await launch();
  });
  afterEach(async () => {
    for (const [i, page] of session.context.pages().entries()) {
      await page.screenshot({ path: join(OUT, `left-open-${Date.now()}-${i}.png`), fullPage: true }).catch(() => {});
      await page.close();
    }
    if (!shared) {
      await session.context.close();
      session.context = null;
    }
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
    await page.goto(session.origin + path);
    await page.locator("main h1").first().waitFor();
    if (engine) await engineReady(page);
    return { page, errors };
  };
  return session;
}

/** Resolves once the page's engine worker said it is ready. */
export const engineReady = (page) =>
  page.waitForFunction(() => document.documentElement.dataset.engineReadyMs, null, { timeout: 120_000 });
