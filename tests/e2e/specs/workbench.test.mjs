// The workbench as a learner meets it: generate, run, look, change, break, cancel, reload.
// Every flow runs against the release build in headless Chromium, found by role and label.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { nativeRun } from "../native.mjs";
import { OUT, browserSession, generateAndRun, savedContains } from "../session.mjs";

const TABLES = ["sensor_bronze", "inspection_bronze", "anomaly_detected", "inspection_silver", "inspection_gold"];
const LONG = { timeout: 120_000 };
// Every flow on its own browser profile: the first generates the course preset and follows
// module 1; the others make the tiny preset's tables they look at.
const session = browserSession();

const shot = (page, name) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

const open = (path) => session.open(path, { engine: true });

/** The number in a text like "+402 960 rows" or "402 960" (thin or normal spaces). */
const number = (text) => Number(text.replace(/[^\d]/g, ""));

/** The workbench with seed 1's tiny preset generated and run once. */
async function openWithTables() {
  const opened = await open("/workbench/");
  await generateAndRun(opened.page);
  return opened;
}

/** Waits until every dataset node of the graph in `scope` shows `state`. */
async function graphShows(scope, state) {
  for (const table of TABLES) {
    await scope.getByTestId(`graph-node-${table}`).filter({ hasText: state }).waitFor(LONG);
  }
}

/** Rows in the table viewer's status "Rows 1–50 of 402 960". */
async function totalRows(viewer) {
  const status = viewer.getByTestId("table-status");
  await status.filter({ hasText: /of [\d\s  ]+/ }).waitFor(LONG);
  return number((await status.innerText()).split("of").pop());
}

describe("module 1 as a new learner", () => {
  it("generates seed 1, runs, reads the tables, lands more data and runs again", LONG, async () => {
    const native = await nativeRun(1, ["initial", "increment-1"]);
    const { page, errors } = await open("/modules/pipeline-basics/");

    const generator = page.getByRole("region", { name: "Generate the data" });
    await generator.getByLabel("Seed").fill("1");
    await generator.getByRole("radio", { name: /course/i }).check();
    await generator.getByRole("button", { name: "Generate", exact: true }).click();
    await generator.getByTestId("generator-summary").filter({ hasText: /seed 1/i }).waitFor(LONG);

    const run = page.getByRole("region", { name: "Run the pipeline" });
    const started = Date.now();
    await run.getByRole("button", { name: "Run update" }).click();
    await graphShows(run, "Completed");
    console.log(`timing: first course update in the page (seed 1): ${Date.now() - started} ms from click to graph (engine time in the run history)`);
    for (const table of TABLES) {
      const node = run.getByTestId(`graph-node-${table}`);
      assert.match(await node.textContent(), new RegExp(`\\+?${native[0][table].added.toLocaleString("en").replace(/,/g, "[\\s  ,]?")}`), `${table} rows written`);
    }
    await shot(page, "workbench-module1-after-run");
    await run.screenshot({ path: join(OUT, "cell-run-after-first-update.png") });
    await generator.screenshot({ path: join(OUT, "cell-generate.png") });

    const gold = page.getByRole("region", { name: "Rows of inspection_gold" });
    assert.equal(await totalRows(gold.getByTestId("table-viewer")), native[0].inspection_gold.rows, "inspection_gold rows");

    // Land the January increment and run again: bronze grows by exactly the new rows.
    await generator.getByRole("button", { name: "Land more data" }).click();
    await generator.getByTestId("generator-summary").filter({ hasText: /increment/i }).waitFor(LONG);
    const again = Date.now();
    await run.getByRole("button", { name: "Run update" }).click();
    await run.getByTestId("graph-node-sensor_bronze").filter({ hasText: new RegExp(native[1].sensor_bronze.added.toLocaleString("en").replace(/,/g, "[\\s  ,]?")) }).waitFor(LONG);
    await graphShows(run, "Completed");
    console.log(`timing: incremental course update in the page: ${Date.now() - again} ms from click to graph`);

    const history = page.getByRole("region", { name: "Run history" });
    const rows = history.getByTestId("run-row");
    await rows.nth(1).waitFor(LONG);
    assert.equal(await rows.count(), 2);
    const latest = await rows.first().innerText();
    console.log(`timing: run history (worker's wall clock per update, newest first): ${(await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, " ")).join(" | ")}`);
    assert.match(latest, /Completed/);
    await rows.first().getByRole("button").first().click();
    const detail = await history.innerText();
    assert.match(detail, new RegExp(native[1].inspection_silver.refresh), "inspection_silver's refresh strategy");
    assert.match(detail, new RegExp(native[1].sensor_bronze.rows.toLocaleString("en").replace(/,/g, "[\\s  ,]?")), "sensor_bronze total after the increment");
    await shot(page, "workbench-module1-history");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("the full workbench", () => {
  it("runs a SQL query and reports a SQL error at its line and column", LONG, async () => {
    const { page, errors } = await openWithTables();
    await page.getByRole("tab", { name: "SQL" }).click();
    const input = page.getByTestId("sql-input");
    await input.fill("SELECT device_id, count(*) AS readings\nFROM sensor_bronze\nGROUP BY device_id\nORDER BY readings DESC");
    await page.getByRole("button", { name: "Run query" }).click();
    const viewer = page.getByTestId("sql-console").getByTestId("table-viewer");
    const groups = await totalRows(viewer);
    // One row per device (NULL included), counted by another query.
    await input.fill("SELECT count(*) AS devices, 'probe' AS probe FROM (SELECT DISTINCT device_id FROM sensor_bronze)");
    await page.getByRole("button", { name: "Run query" }).click();
    const devices = viewer.getByTestId("table-row").filter({ hasText: "probe" }).first();
    await devices.waitFor(LONG);
    assert.equal(groups, number(await devices.locator("td").first().innerText()), "one row per device");
    assert.ok(groups > 0);
    await input.fill("SELECT device_id,\n  count(*) AS n\nFROM sensor_bronze\nGROUP BY devise_id");
    await page.getByRole("button", { name: "Run query" }).click();
    const error = page.getByTestId("sql-error");
    await error.waitFor(LONG);
    assert.match(await error.innerText(), /4:10/);
    assert.match(await error.innerText(), /device_id/);
    await shot(page, "workbench-sql-error");
    // The same page in the dark theme (system → light → dark), then back to system.
    const toggle = page.getByTestId("theme-toggle");
    await toggle.click();
    await toggle.click();
    await shot(page, "workbench-dark");
    await toggle.click();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("EMA window 10 changes silver; a syntax error is underlined, listed, and Run refuses", LONG, async () => {
    const { page, errors } = await openWithTables();
    await page.getByRole("treeitem", { name: /inspection_silver\.py/ }).click();
    const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
    const before = await silverSample(page);
    const source = await editor.inputValue();
    assert.match(source, /window=5/);
    await editor.fill(source.replace("window=5", "window=10"));
    await page.getByRole("button", { name: "Run update" }).click();
    await page.getByTestId("graph-node-inspection_silver").filter({ hasText: "Completed" }).waitFor(LONG);
    await page.getByTestId("status-line").filter({ hasText: /completed/i }).waitFor(LONG);
    const afterEma = await silverSample(page);
    assert.notDeepEqual(afterEma, before, "silver's EMA values change with the window");

    // A syntax error: an unclosed parenthesis on line 9.
    const broken = source.replace("window=5", "window=10").replace('spark.read.table("inspection_bronze")', 'spark.read.table("inspection_bronze"');
    await editor.fill(broken);
    // The syntax error itself is listed at its place (other files' problems follow from it).
    const problem = page.getByTestId("problem").filter({ hasText: /inspection_silver\.py:\d+:\d+/ }).first();
    await problem.waitFor(LONG);
    assert.match(await problem.innerText(), /inspection_silver\.py:9:\d+/);
    await page.getByTestId("editor-marker").first().waitFor(LONG);
    assert.ok(await page.getByRole("button", { name: "Run update" }).isDisabled(), "Run refuses while the project has errors");
    await shot(page, "workbench-syntax-error");
    await editor.fill(source);
    await page.getByTestId("problems").filter({ hasText: /No problems/ }).waitFor(LONG);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("a FAIL expectation fails the update, names it, and leaves every table as it was", LONG, async () => {
    const { page, errors } = await openWithTables();
    const counts = await tableCounts(page);
    await page.getByRole("treeitem", { name: /sensor_bronze\.py/ }).click();
    const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
    const source = await editor.inputValue();
    assert.match(source, /@dp\.expect\("valid pressure"/);
    await editor.fill(source.replace('@dp.expect("valid pressure"', '@dp.expect_or_fail("valid pressure"'));
    await page.getByTestId("problems").filter({ hasText: /No problems/ }).waitFor(LONG);
    await page.getByRole("button", { name: "Full refresh" }).click();
    await page.getByRole("menuitem", { name: "All tables" }).click();
    const status = page.getByTestId("status-line");
    await status.filter({ hasText: /failed/i }).waitFor(LONG);
    assert.match(await status.innerText(), /valid pressure/);
    assert.deepEqual(await tableCounts(page), counts, "every table as it was");
    await shot(page, "workbench-fail-expectation");
    await editor.fill(source);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("after a reload the files, tables and history are back; Reset restores the originals", LONG, async () => {
    const { page, errors } = await openWithTables();
    // A second update, so the history has two runs to restore.
    await page.getByRole("button", { name: "Run update" }).click();
    await page.getByRole("tab", { name: "Run history" }).click();
    await page.getByTestId("run-row").nth(1).waitFor(LONG);
    await page.getByTestId("run-row").first().filter({ hasText: /Completed/ }).waitFor(LONG);
    const counts = await tableCounts(page);
    await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
    const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
    const original = await editor.inputValue();
    await editor.fill(original + "\n# my note\n");
    await savedContains(page, "# my note");
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.engineReadyMs, null, LONG);
    await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
    assert.match(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), /# my note/);
    assert.deepEqual(await tableCounts(page), counts, "tables restored");
    await page.getByRole("tab", { name: "Run history" }).click();
    await page.getByTestId("run-row").first().waitFor(LONG);
    assert.equal(await page.getByTestId("run-row").count(), 2, "history restored");
    await page.getByRole("button", { name: "Reset file" }).click();
    assert.equal(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), original);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("looking around the data", () => {
  it("downloads a table, shows failed rows, filters the event log, switches to SQL", LONG, async () => {
    const { page, errors } = await openWithTables();

    // A table as CSV: the download holds the header and every row the viewer counts.
    await page.getByRole("tab", { name: "Tables" }).click();
    await page.getByTestId("table-item-inspection_gold").click();
    const viewer = page.getByTestId("table-viewer");
    const rows = await totalRows(viewer);
    const [download] = await Promise.all([page.waitForEvent("download"), viewer.getByRole("button", { name: "Download CSV" }).click()]);
    const text = await streamText(await download.createReadStream());
    assert.equal(text.trim().split("\n").length, rows + 1, "header + rows");
    assert.match(text.split("\n")[0], /device_id/);

    // Data quality after a full refresh (every row checked again): the warn expectation's
    // failed rows are listed.
    await page.getByRole("button", { name: "Full refresh" }).click();
    await page.getByRole("menuitem", { name: "All tables" }).click();
    await page.getByTestId("status-line").filter({ hasText: /completed/i }).waitFor(LONG);
    await page.getByRole("tab", { name: "Data quality" }).click();
    const quality = page.getByTestId("data-quality");
    await quality.getByTestId("expectation-row").filter({ hasText: "valid pressure" }).waitFor(LONG);
    await quality.getByRole("button", { name: /Show failed rows of valid pressure/ }).click();
    await quality.getByTestId("table-row").first().waitFor(LONG);
    await shot(page, "workbench-failed-rows");

    // The event log, filtered to flow progress.
    await page.getByRole("tab", { name: "Event log" }).click();
    const log = page.getByTestId("event-log");
    await log.getByLabel("Event type").selectOption("flow_progress");
    await log.getByTestId("table-row").first().waitFor(LONG);
    for (const row of await log.getByTestId("table-row").all()) assert.match(await row.innerText(), /flow_progress/);

    // The SQL variant is one switch away and validates clean.
    await page.getByRole("tab", { name: "Files" }).click();
    await page.getByTestId("variant-sql").click();
    const confirm = page.getByTestId("confirm-variant");
    if (await confirm.isVisible()) await confirm.click();
    await page.getByRole("treeitem", { name: /inspection_silver\.sql/ }).waitFor(LONG);
    await page.getByTestId("problems").filter({ hasText: /No problems/ }).waitFor(LONG);
    await page.getByTestId("variant-python").click();
    if (await confirm.isVisible()) await confirm.click();
    await page.getByRole("treeitem", { name: /inspection_silver\.py/ }).waitFor(LONG);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

async function streamText(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Rows per table from the table list (`{ name: rows }`). */
async function tableCounts(page) {
  await page.getByRole("tab", { name: "Tables" }).click();
  const list = page.getByTestId("table-list");
  await list.getByTestId("table-item-inspection_gold").waitFor(LONG);
  const out = {};
  for (const table of TABLES) out[table] = number(await list.getByTestId(`table-item-${table}`).innerText().then((t) => t.split("\n").pop()));
  return out;
}

/** A few EMA-derived values of inspection_silver, via SQL. */
async function silverSample(page) {
  await page.getByRole("tab", { name: "SQL" }).click();
  await page.getByTestId("sql-input").fill("SELECT round(sum(sensor_EMA_rotation_speed), 6) AS s FROM inspection_silver");
  await page.getByRole("button", { name: "Run query" }).click();
  const row = page.getByTestId("sql-console").getByTestId("table-row").first();
  await row.waitFor(LONG);
  return row.innerText();
}
