// The workbook as a dependable static site: a copy of the release build under /course/ of a
// plain static host. Visit once, the host goes away (and the browser goes offline): every route
// reloads, the engine generates and runs. Then the host publishes a changed build into the same
// folder: the page says "A new version is ready", Reload brings it, the learner's work is kept.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveDir } from "../serve.mjs";
import { launch, watchErrors } from "../browser.mjs";
import { DIST, OUT, engineReady, generateAndRun, savedContains } from "../session.mjs";

const LONG = { timeout: 180_000 };
const LESSONS = (await readdir(new URL("../../../lessons", import.meta.url))).filter((f) => /^\d+-.*\.md$/.test(f)).map((f) => f.replace(/^\d+-/, "").replace(/\.md$/, ""));
const ROUTES = ["", "workbench/", "workbench", "glossary/", ...LESSONS.map((id) => `modules/${id}/`)];

let site, server, port, context;

/** Serves the site copy on `port` (the same port again after a stop: the same origin). */
async function up() {
  server = await serveDir(site, { port, prefix: "/course/" });
  port = server.address().port;
}

async function down() {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
}

const url = (route) => `http://127.0.0.1:${port}/course/${route}`;
const shot = (page, name) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

before(async () => {
  site = await mkdtemp(join(tmpdir(), "iotwb-site-"));
  await cp(DIST, site, { recursive: true });
  port = 0;
  await up();
  context = await launch();
});

after(async () => {
  await context?.close();
  server?.close();
});

describe("offline after the first visit", () => {
  it("precaches on the first visit; offline, every route reloads and the pipeline generates and runs", LONG, async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    server.log.length = 0;
    await page.goto(url("modules/pipeline-basics/"));
    await engineReady(page);
    // The service worker installs after the engine is ready and takes the page over.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, LONG);
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith("iotwb-")));
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    for (const file of ["engine_worker_bg.wasm", "parquet_codec_bg.wasm", "manifest.json", "icons/icon-192.png", "workbench/", "lessons/pipeline-basics.json", "lessons/glossary.json"]) {
      assert.ok(cached.includes(`/course/${file}`), `${file} is precached`);
    }
    const precache = server.log.filter((r) => r.path.startsWith("/course/")).reduce((n, r) => n + r.bytes, 0);
    console.log(`offline: first visit and precache together ${(precache / 1e6).toFixed(3)} MB gzip, ${cached.length} files cached`);

    // The manifest makes it installable: name, start URL, standalone, 192 and 512 px icons.
    const manifest = JSON.parse(await readFile(join(site, "manifest.json"), "utf8"));
    assert.equal(manifest.display, "standalone");
    assert.equal(manifest.start_url, "./");
    for (const size of ["192x192", "512x512"]) assert.ok(manifest.icons.some((i) => i.sizes === size && i.type === "image/png"), size);
    assert.equal(await page.evaluate(() => document.querySelector('link[rel="manifest"]').href), url("manifest.json"));
    // Chromium's own installability check (manifest, icons, service worker, offline start).
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, [], "Chromium can install the workbook");
    const { errors: manifestErrors } = await cdp.send("Page.getAppManifest");
    assert.deepEqual(manifestErrors, []);
    await cdp.detach();

    // The host is gone and the browser is offline.
    await down();
    await context.setOffline(true);
    for (const route of ROUTES) {
      await page.goto(url(route));
      await page.locator("main h1").first().waitFor();
      assert.doesNotMatch(await page.locator("main").innerText(), /not found/i, `${route} offline`);
    }
    await page.reload();
    await page.locator("main h1").first().waitFor();

    // The engine (its worker's files from the cache) generates and runs.
    await page.goto(url("workbench/"));
    await engineReady(page);
    await generateAndRun(page);
    await page.getByTestId("graph-node-inspection_gold").filter({ hasText: "Completed" }).waitFor(LONG);
    await shot(page, "offline-workbench-after-run");
    assert.deepEqual(errors, []);
    await page.close();
    await context.setOffline(false);
    await up();
  });

  it("a changed build in the same folder: the page offers it, Reload brings it, the work stays", LONG, async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(url("workbench/"));
    await engineReady(page);
    await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
    const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
    const mine = (await editor.inputValue()) + "\n# kept across the update\n";
    await editor.fill(mine);
    await savedContains(page, "# kept across the update");

    // The host publishes a new build: every page changed, and so the service worker's version.
    const pages = ["index.html", ...ROUTES.filter((r) => r.endsWith("/") && r).map((r) => `${r}index.html`)];
    for (const file of pages) {
      const path = join(site, file);
      await writeFile(path, (await readFile(path, "utf8")).replace("<head>", '<head><meta name="iotwb-build" content="2">'));
    }
    const sw = join(site, "sw.js");
    await writeFile(sw, (await readFile(sw, "utf8")).replace(/const VERSION = "([0-9a-f]+)"/, 'const VERSION = "$1-2"'));

    // The next visit still runs the version it has (never a mix), and offers the new one.
    await page.reload();
    const prompt = page.getByRole("status").filter({ hasText: "A new version is ready." });
    await prompt.waitFor(LONG);
    assert.equal(await page.locator('meta[name="iotwb-build"]').count(), 0, "the old version until Reload");
    await shot(page, "offline-update-prompt");
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await prompt.screenshot({ path: join(OUT, "offline-update-prompt-dark.png") });
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));

    await Promise.all([page.waitForEvent("load", LONG), prompt.getByRole("button", { name: "Reload" }).click()]);
    await page.locator('meta[name="iotwb-build"]').waitFor({ state: "attached", ...LONG });
    await engineReady(page);
    await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
    assert.equal(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), mine, "the learner's file survived the update");
    const caches = await page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith("iotwb-")));
    assert.equal(caches.length, 1, `one version cached: ${caches}`);
    assert.match(caches[0], /-2$/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
