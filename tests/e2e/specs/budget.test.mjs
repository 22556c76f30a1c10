// The page budgets of the workbench issue, measured on the release build served gzipped like a
// static host: what a lesson needs before it is interactive, when the engine is ready, and
// everything. Prints the figures; asserts only the sizes (times depend on the machine).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { serveDir } from "../serve.mjs";
import { launch, watchErrors } from "../browser.mjs";

const DIST = resolve(process.env.DIST ?? new URL("../../../dist", import.meta.url).pathname);
const MB = 1_000_000;
const INTERACTIVE_BUDGET = 1.2 * MB;
const TOTAL_BUDGET = 3.0 * MB;
const isEngine = (path) => /engine_worker/.test(path);
/** gzip -9 size of the dist files whose names match `pattern` (what the server would send). */
const gzipped = (pattern) => readdirSync(DIST).filter((f) => pattern.test(f)).reduce((n, f) => n + gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length, 0);

let server, context;

before(async () => {
  server = await serveDir(DIST);
  // The first load as budgeted; the service worker precaches the site after it, in the
  // background (measured in offline.test.mjs).
  context = await launch({ serviceWorkers: "block" });
});

after(async () => {
  await context?.close();
  server?.close();
});

describe("page budgets", () => {
  it("a lesson is interactive within 1.2 MB gzip; the engine follows after first paint; the total is printed", { timeout: 60_000 }, async () => {
    const page = await context.newPage();
    const errors = watchErrors(page);
    server.log.length = 0;
    await page.goto(`http://127.0.0.1:${server.address().port}/modules/pipeline-basics/`);
    await page.waitForFunction(() => document.documentElement.dataset.engineReadyMs, null, { timeout: 30_000 });
    const { interactive, engine, origin } = await page.evaluate(() => ({
      interactive: Number(document.documentElement.dataset.interactiveMs),
      engine: Number(document.documentElement.dataset.engineReadyMs),
      origin: performance.timeOrigin,
    }));
    const lessonBytes = server.log.filter((r) => !isEngine(r.path)).reduce((n, r) => n + r.bytes, 0);
    const engineRequests = server.log.filter((r) => isEngine(r.path));
    const engineBytes = engineRequests.reduce((n, r) => n + r.bytes, 0);
    const total = lessonBytes + engineBytes;
    const firstEngineRequest = Math.min(...engineRequests.map((r) => r.at)) - origin;
    console.log(`budget: lesson interactive ${interactive} ms, ${(lessonBytes / MB).toFixed(3)} MB gzip (budget 1.0 s, 1.2 MB)`);
    console.log(`budget: engine fetched from ${firstEngineRequest.toFixed(0)} ms, ready ${engine} ms from navigation, ${(engineBytes / MB).toFixed(3)} MB gzip (budget 2.0 s)`);
    console.log(`budget: everything ${(total / MB).toFixed(3)} MB gzip (goal 3.0 MB: ${total <= TOTAL_BUDGET ? "met" : "NOT MET"}; DuckDB-WASM 7.7 MB)`);
    for (const r of server.log) console.log(`budget:   ${r.path} ${(r.bytes / 1000).toFixed(1)} kB`);
    // Fetched only when a learner uploads or downloads Parquet, so not part of a page's load.
    console.log(`budget: on demand, the Parquet codec worker ${(gzipped(/^parquet_codec/) / MB).toFixed(3)} MB gzip`);
    assert.ok(engineRequests.length >= 2, "the engine's loader and wasm were fetched");
    assert.ok(!server.log.some((r) => /parquet_codec/.test(r.path)), "the Parquet codec is fetched only when the page meets Parquet");
    assert.ok(lessonBytes <= INTERACTIVE_BUDGET, `lesson needs ${lessonBytes} bytes`);
    assert.ok(total <= TOTAL_BUDGET, `everything is ${total} bytes`);
    // The engine is not on the lesson's critical path: it is asked for after the app mounted.
    assert.ok(firstEngineRequest >= interactive - 50, `engine fetched at ${firstEngineRequest} ms, app interactive at ${interactive} ms`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
