// Debian's Chromium driven by playwright-core (Playwright cannot download a browser here).
import { chromium } from "playwright-core";
import { mkdtemp } from "node:fs/promises";
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
 * A fresh browser profile, so localStorage starts empty in every test file. `serviceWorkers:
 * "block"` measures a first load without the service worker's precaching after it.
 */
export async function launch({ serviceWorkers = "allow" } = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), "iotwb-e2e-"));
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    serviceWorkers,
  });
}

/** Fails the test on any console error or uncaught exception in the page. */
export function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  return errors;
}
