// One browser session per spec file for the workbench flows: the release build served like a
// static host, a fresh Chromium profile, and pages a failed flow left open screenshotted and
// closed (so the next flow's page is the only one working on the browser's saved data).
import { after, afterEach, before } from "node:test";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serveDir } from "./serve.mjs";
import { launch, watchErrors } from "./browser.mjs";

export const DIST = resolve(process.env.DIST ?? new URL("../../dist", import.meta.url).pathname);
export const OUT = resolve(new URL("./output", import.meta.url).pathname);

/** Registers the hooks; the returned object's `context` and `origin` are set once `before` ran. */
export function browserSession() {
  const session = { server: null, context: null, origin: null };
  before(async () => {
    await mkdir(OUT, { recursive: true });
    session.server = await serveDir(DIST);
    session.origin = `http://127.0.0.1:${session.server.address().port}`;
    session.context = await launch();
  });
  afterEach(async () => {
    for (const [i, page] of session.context.pages().entries()) {
      await page.screenshot({ path: join(OUT, `left-open-${Date.now()}-${i}.png`), fullPage: true }).catch(() => {});
      await page.close();
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
