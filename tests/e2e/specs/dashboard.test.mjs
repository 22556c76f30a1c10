// Modules 5 and 3 as a learner sees them: the dashboard computed from the learner's tables and
// checked widget by widget against independent SQL in the console, the filters, the alert's
// simulated clock, and the time-series pictures.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, browserSession, generateAndRun } from "../session.mjs";

const LONG = { timeout: 180_000 };
// Each flow on its own browser profile, with the tables it makes itself.
const session = browserSession();
const shot = (page, name) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
const open = (path) => session.open(path, { engine: true });

/** `path` after seed 1's tiny preset was generated and run once in the workbench. */
async function openWithTables(path) {
  const opened = await open("/workbench/");
  await generateAndRun(opened.page);
  await session.visit(opened.page, path, { engine: true });
  return opened;
}

let probes = 0;
/** The first row of an independent query, run in the lesson's first SQL console. */
async function sql(page, text) {
  // A probe column tells this answer from the previous one's.
  const probe = `q${++probes}`;
  const console = page.getByTestId("sql-console").first();
  await console.getByTestId("sql-input").fill(`SELECT *, '${probe}' AS probe FROM (${text})`);
  await console.getByRole("button", { name: "Run query" }).click();
  const row = console.getByTestId("table-viewer").getByTestId("table-row").filter({ hasText: probe }).first();
  await row.waitFor(LONG);
  return (await row.locator("td").allInnerTexts()).map((t) => t.trim()).slice(0, -1);
}

/** A widget's "Show data" rows, as texts. */
async function shown(widget) {
  const toggle = widget.getByRole("button", { name: "Show data" });
  if ((await toggle.getAttribute("aria-pressed")) !== "true") await toggle.click();
  const table = widget.getByRole("table");
  await table.waitFor(LONG);
  const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())));
  await toggle.click();
  return rows;
}

const num = (t) => Number(String(t).replace(/[^\d.eE+-]/g, ""));
const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** The widget places the seed spec gives (x, y, width, height). */
const PLACES = {
  filter_device: [0, 0, 1, 3],
  filter_model: [0, 3, 1, 3],
  defects_flagged: [0, 6, 1, 3],
  non_defects: [0, 9, 1, 3],
  weekly_inspections: [1, 0, 3, 6],
  defect_rate_by_factory: [4, 0, 2, 6],
  density_by_day: [1, 6, 5, 6],
  temperature_by_day: [0, 12, 6, 7],
};

describe("module 5: the dashboard and the alert", () => {
  it("draws every widget from the learner's tables, filters only bound widgets, and follows an update", LONG, async () => {
    const { page, errors } = await open("/modules/monitoring-alerting/");
    const { generator, run } = await generateAndRun(page);
    const dashboard = page.getByRole("region", { name: "The dashboard" });
    const widget = (name) => dashboard.getByTestId(`widget-${name}`);
    const counter = (name) => dashboard.getByTestId(`counter-${name}`);
    await counter("defects_flagged").filter({ hasText: /^\d[\d,]*$/ }).waitFor(LONG);

    // Places on the 6-column grid, as the browser laid them out.
    for (const [name, [x, y, w, h]] of Object.entries(PLACES)) {
      const style = await widget(name).evaluate((el) => {
        const s = getComputedStyle(el);
        return [s.gridColumnStart, s.gridColumnEnd, s.gridRowStart, s.gridRowEnd];
      });
      assert.deepEqual(style, [String(x + 1), `span ${w}`, String(y + 1), `span ${h}`], name);
    }

    // Counters against independent counts.
    const [defects] = await sql(page, "SELECT count(*) FROM inspection_bronze WHERE device_id IS NOT NULL AND defect = 1");
    assert.equal(num(await counter("defects_flagged").innerText()), num(defects));
    const [nonDefects] = await sql(page, "SELECT count(*) FROM inspection_bronze WHERE device_id IS NOT NULL AND defect = 0");
    const nonBefore = num(await counter("non_defects").innerText());
    assert.equal(nonBefore, num(nonDefects));

    // The weekly bars: weeks, and the sums of both measures.
    const weekly = await shown(widget("weekly_inspections"));
    const [weeks, d, n] = await sql(page,
      "SELECT count(DISTINCT date_trunc('WEEK', date_trunc('day', `timestamp`))), " +
      "sum(CASE WHEN defect > 0 THEN 1 ELSE 0 END), sum(CASE WHEN defect = 0 THEN 1 ELSE 0 END) " +
      "FROM inspection_bronze WHERE device_id IS NOT NULL AND `timestamp` IS NOT NULL");
    const dated = weekly.filter((r) => r[0] !== "null");
    assert.equal(dated.length, num(weeks), "weeks");
    assert.equal(dated.reduce((s, r) => s + num(r[1]), 0), num(d), "defects per week summed");
    assert.equal(dated.reduce((s, r) => s + num(r[2]), 0), num(n), "non-defects per week summed");
    assert.ok(dated.every((r) => new Date(r[0].replace(" ", "T") + "Z").getUTCDay() === 1), "weeks start on Monday");

    // The factory bars: the unweighted mean of device rates, every factory.
    const rates = await shown(widget("defect_rate_by_factory"));
    for (const [factory, rate] of rates) {
      const [expected] = await sql(page,
        "SELECT avg(r) FROM (SELECT device_id, 100 * (sum(CASE WHEN defect = 1 THEN `count` ELSE 0 END) / sum(`count`)) AS r " +
        `FROM inspection_gold WHERE device_id IS NOT NULL AND factory_id = '${factory}' GROUP BY device_id, model_id)`);
      close(num(rate), num(expected), `defect rate of ${factory}`);
    }

    // The scatters: one point per (day, defect), their averages summed.
    for (const [name, column] of [["density_by_day", "sensor_density"], ["temperature_by_day", "sensor_temperature"]]) {
      const points = await shown(widget(name));
      const [count, total] = await sql(page,
        `SELECT count(*), sum(a) FROM (SELECT date_trunc('DAY', \`timestamp\`) AS day, defect, avg(${column}) AS a ` +
        "FROM inspection_silver WHERE device_id IS NOT NULL GROUP BY day, defect)");
      assert.equal(points.length, num(count), `${name} points`);
      close(points.reduce((s, r) => s + num(r[1]), 0), num(total), `${name} sum of averages`);
    }
    await shot(page, "dashboard-light");
    await dashboard.screenshot({ path: join(OUT, "dashboard-cell-light.png") });

    // One device: bound widgets change, the counters do not, and the model list narrows.
    const densityAll = await shown(widget("density_by_day"));
    const device = widget("filter_device").getByRole("checkbox").first();
    const deviceId = (await widget("filter_device").locator("li").first().innerText()).trim();
    await device.check();
    await dashboard.locator(".dash-widget.dash-filtered").first().waitFor(LONG);
    await widget("weekly_inspections").and(page.locator(".dash-filtered")).waitFor(LONG);
    assert.equal(num(await counter("non_defects").innerText()), nonBefore, "counters ignore filters");
    assert.equal(await widget("non_defects").evaluate((el) => el.classList.contains("dash-filtered")), false);
    const densityOne = await shown(widget("density_by_day"));
    assert.ok(densityOne.length < densityAll.length, "the silver scatter shows one device");
    const models = await widget("filter_model").getByRole("option").allInnerTexts();
    const [modelCount] = await sql(page, `SELECT count(DISTINCT model_id) FROM sensor_bronze WHERE device_id = '${deviceId}'`);
    assert.equal(models.length - 1, num(modelCount), "the model filter offers the device's models (plus All)");
    await dashboard.screenshot({ path: join(OUT, "dashboard-filtered.png") });
    await dashboard.getByRole("button", { name: "Clear filters" }).click();
    await widget("weekly_inspections").and(page.locator(".dash-filtered")).waitFor({ state: "detached", ...LONG });

    // The alert at the real time: 0, OK, muted.
    const alert = page.getByRole("region", { name: "The SQL alert" });
    await alert.getByTestId("alert-state").waitFor(LONG);
    assert.equal(await alert.getByTestId("alert-state").innerText(), "OK");
    assert.equal(await alert.getByTestId("alert-value").innerText(), "0");
    assert.match(await alert.innerText(), /muted/);
    // Just after the last anomaly, it triggers with the count the query saw.
    await alert.getByRole("button", { name: "Just after the last anomaly" }).click();
    await alert.getByTestId("alert-state").filter({ hasText: "TRIGGERED" }).waitFor(LONG);
    const seen = num(await alert.getByTestId("alert-value").innerText());
    const [expected] = await sql(page,
      "SELECT count(*) FROM anomaly_detected WHERE `timestamp` > " +
      "(SELECT max(`timestamp`) FROM anomaly_detected) + INTERVAL 1 SECOND - INTERVAL 10 MINUTES");
    assert.equal(seen, num(expected));
    assert.ok(seen >= 1);
    assert.match(await alert.getByTestId("alert-history").innerText(), /TRIGGERED \(muted\)/);
    await alert.screenshot({ path: join(OUT, "alert-triggered-light.png") });

    // Land more data and update: the dashboard refreshes itself, the counters rise.
    await generator.getByRole("button", { name: "Land more data" }).click();
    await generator.getByTestId("generator-summary").filter({ hasText: /increment/i }).waitFor(LONG);
    await run.getByRole("button", { name: "Run update" }).click();
    await page.waitForFunction((before) => {
      const el = document.querySelector('[data-testid="counter-non_defects"]');
      return el && Number(el.innerText.replace(/[^\d]/g, "")) > before;
    }, nonBefore, LONG);
    const january = (await shown(widget("weekly_inspections"))).filter((r) => r[0] >= "2024-01-01");
    assert.ok(january.length > 0, "January 2024 bars");
    assert.match(await alert.getByTestId("alert-history").innerText(), /Update 2/);

    // Dark theme.
    const toggle = page.getByTestId("theme-toggle");
    await toggle.click();
    await toggle.click();
    await dashboard.screenshot({ path: join(OUT, "dashboard-cell-dark.png") });
    await alert.screenshot({ path: join(OUT, "alert-dark.png") });
    await toggle.click();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("has its own page with the dashboard and the alert as tabs", LONG, async () => {
    const { page, errors } = await openWithTables("/dashboard/");
    await page.getByRole("tab", { name: "Dashboard" }).waitFor(LONG);
    await page.getByTestId("dashboard-grid").waitFor(LONG);
    await page.getByRole("tab", { name: "SQL alert" }).click();
    await page.getByTestId("alert-state").waitFor(LONG);
    await shot(page, "dashboard-page-alert");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("module 3: the time-series pictures", () => {
  it("draws the default device's trip and redraws the EMA when its window changes", LONG, async () => {
    const { page, errors } = await openWithTables("/modules/time-series/");
    const pictures = page.getByTestId("time-series");
    const summary = pictures.getByTestId("ts-summary");
    await summary.waitFor(LONG);
    assert.match(await summary.innerText(), /\d+ readings of trip \d+/);
    const charts = pictures.getByRole("img");
    assert.equal(await charts.count(), 2);
    // The EMA is drawn in red; a line is cut into several polylines where the readings pause.
    const emaLine = () => pictures.locator("svg").first().locator('polyline[stroke="#FF3621"]')
      .evaluateAll((lines) => lines.map((l) => l.getAttribute("points")).join("|"));
    const before = await emaLine();
    const redraws = [];
    for (const window of ["10", "20", "3"]) {
      const previous = await pictures.getAttribute("data-redraw-ms");
      await pictures.getByLabel("EMA window").evaluate((input, v) => {
        input.value = v;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }, window);
      await page.waitForFunction(([el, old]) => el.dataset.redrawMs && el.dataset.redrawMs !== old,
        [await pictures.elementHandle(), previous], LONG).catch(() => {});
      redraws.push(Number(await pictures.getAttribute("data-redraw-ms")));
    }
    assert.notEqual(await emaLine(), before, "the EMA line changed");
    console.log(`timing: EMA window change to redrawn chart (one trip): ${redraws.join(", ")} ms (goal 100 ms)`);
    // Bucket edges and as-of links are drawn.
    assert.ok((await pictures.locator(".bucket-edge").count()) > 0, "bucket edges");
    // Zoom in with the keyboard: the range shrinks, and Reset zoom brings the trip back.
    await pictures.getByRole("group").first().focus();
    await page.keyboard.press("+");
    await pictures.getByRole("button", { name: "Reset zoom" }).and(page.locator(":not([disabled])")).waitFor(LONG);
    await pictures.getByRole("button", { name: "Reset zoom" }).click();
    await pictures.screenshot({ path: join(OUT, "time-series-light.png") });
    const toggle = page.getByTestId("theme-toggle");
    await toggle.click();
    await toggle.click();
    await pictures.screenshot({ path: join(OUT, "time-series-dark.png") });
    await toggle.click();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
