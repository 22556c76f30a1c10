// Debian's Chromium driven by playwright-core (Playwright cannot download a browser here).
import { chromium } from "playwright-core";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Without the background-networking flags Chromium keeps dialling Google on this closed network.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A browser on a fresh profile, so storage starts empty. `serviceWorkers: "block"` measures a
 * first load without the service worker's precaching after it. The profile (about 150 MB) is
 * removed when the browser closes: `close()` resolves once it is gone, and a browser that
 * exits by itself removes it too.
 */
export async function launch({ serviceWorkers = "allow" } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), "iotwb-e2e-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    serviceWorkers,
  });
  let removed = null;
  // Chromium may still be writing into the profile as it exits: retry, and never fail a test
  // over a temporary folder.
  const remove = () =>
    (removed ??= rm(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }).catch(() => {}));
  context.once("close", remove);
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    await remove();
  };
  return context;
}

/** Fails the test on any console error or uncaught exception in the page. */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  return errors;
}
