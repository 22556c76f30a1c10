// One browser session per spec file for the workbench flows: the release build served like a
// static host, a fresh Chromium profile, and pages a failed flow left open screenshotted and
// closed (so the next flow's page is the only one working on the browser's saved data).
import { after, afterEach, before } from "node:test";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { serveDir } from "./serve.mjs";
import { launch } from "./browser.mjs";

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
  return session;
}
