// Exercises as a new learner meets them: start one, read the hints, type the edit they lead to,
// answer the prediction, check (the engine runs the project on fresh data), read what a wrong
// attempt teaches, and see the module complete once all its exercises passed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, browserSession } from "../session.mjs";

const LONG = { timeout: 300_000 };
const session = browserSession();

/** The exercise's region, by its visible title. */
const exercise = (page, title) => page.getByRole("region", { name: `Exercise: ${title}` });

/** Select `find` in the exercise's editor and type `replacement` over it, as a learner would. */
async function typeOver(page, region, find, replacement) {
  const editor = region.getByTestId("editor-input");
  await editor.evaluate((el, find) => {
    const at = el.value.indexOf(find);
    if (at < 0) throw new Error(`the editor does not show ${find}`);
    el.focus();
    el.setSelectionRange(at, at + find.length);
  }, find);
  await page.keyboard.type(replacement);
  assert.ok((await editor.inputValue()).includes(replacement), "the edit is in the file");
}

async function start(region) {
  await region.getByRole("button", { name: "Start exercise" }).click();
  await region.getByTestId("exercise-status").filter({ hasText: "In progress" }).waitFor();
}

/** Reveal every hint; the last one names the edit. */
async function readHints(region) {
  while (await region.getByRole("button", { name: /^Show hint/ }).count()) {
    await region.getByRole("button", { name: /^Show hint/ }).click();
  }
  return region.locator(".hint").allInnerTexts();
}

/** Press Check; the verdict, followed by the outcome's text (so a failed assertion shows it). */
async function check(region) {
  await region.getByRole("button", { name: "Check", exact: true }).click();
  await region.locator(".outcome-verdict").waitFor(LONG);
  return region.getByTestId("check-outcome").innerText();
}

/** The region screenshotted in the light and the dark colour scheme. */
async function shots(page, region, name) {
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await region.screenshot({ path: join(OUT, `exercise-${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

describe("exercises", () => {
  it("a new learner completes every exercise of module 1 from the hints, and the module shows complete", LONG, async () => {
    const { page, errors } = await session.open("/modules/pipeline-basics/", { engine: true });
    assert.match(await page.getByTestId("module-status").innerText(), /0 of 3 exercises passed/);

    // 1. Streaming table or materialized view: a half-done edit first, to read what a failed check teaches.
    let region = exercise(page, "Streaming table or materialized view?");
    await region.scrollIntoViewIfNeeded();
    await start(region);
    await shots(page, region, "before");
    const hints = await readHints(region);
    assert.equal(hints.length, 3);
    assert.match(hints.at(-1), /@dp\.table\(/);
    await typeOver(page, region, "@dp.materialized_view(", "@dp.table(");
    // The check waits for the prediction.
    assert.ok(await region.getByRole("button", { name: "Check", exact: true }).isDisabled());
    await region.getByRole("radio", { name: /only the new readings/ }).check();
    const failed = await check(region);
    assert.match(failed, /^✗ Not yet/);
    const outcome = region.getByTestId("check-outcome");
    assert.match(await outcome.innerText(), /Looked at:/);
    assert.match(await outcome.innerText(), /Think about:/);
    assert.equal(await region.getByTestId("exercise-status").innerText(), "Attempted");
    await shots(page, region, "failed");
    await typeOver(page, region, 'spark.read.table("sensor_bronze")', 'spark.readStream.table("sensor_bronze")');
    assert.match(await check(region), /^✓ Passed/);
    assert.match(await outcome.innerText(), /Your prediction was right/);
    assert.equal(await region.getByTestId("exercise-status").innerText(), "Passed");
    await shots(page, region, "passed");

    // 2. Gold reads from silver: the solution diff is visible before anything is applied.
    region = exercise(page, "Gold reads from silver");
    await start(region);
    await region.getByRole("button", { name: "Show solution" }).click();
    const diff = region.getByTestId("solution-diff");
    assert.match(await diff.locator(".diff .diff-removed").first().innerText(), /inspection_bronze/);
    assert.match(await diff.locator(".diff .diff-added").first().innerText(), /inspection_silver/);
    await shots(page, region, "solution");
    await region.getByRole("button", { name: "Hide solution" }).click();
    assert.match((await readHints(region)).at(-1), /inspection_silver/);
    await typeOver(page, region, 'spark.read.table("inspection_bronze")', 'spark.read.table("inspection_silver")');
    assert.match(await check(region), /^✓ Passed/);

    // 3. Only new files.
    region = exercise(page, "Only new files");
    await start(region);
    assert.match((await readHints(region)).at(-1), /readStream/);
    await typeOver(page, region, 'spark.read.format("cloudFiles")', 'spark.readStream.format("cloudFiles")');
    await region.getByRole("radio", { name: /Only the files that landed/ }).check();
    assert.match(await check(region), /^✓ Passed/);

    // Reset exercise puts the starting file back; a passed exercise stays passed.
    await region.getByRole("button", { name: "Reset exercise" }).click();
    await region.getByTestId("editor-input").evaluate((el) => el.value).then((text) => assert.match(text, /spark\.read\.format\("cloudFiles"\)/));
    assert.equal(await region.getByTestId("exercise-status").innerText(), "Passed");

    await page.getByTestId("module-status").filter({ hasText: "Module complete" }).waitFor();
    await page.getByRole("link", { name: "IoT Pipelines Workbook" }).click();
    await page.getByTestId("progress-summary").waitFor();
    assert.equal(await page.getByTestId("progress-summary").innerText(), "1 of 5 modules complete");
    assert.equal(await page.getByTestId("exercises-pipeline-basics").innerText(), "3 of 3 exercises passed");
    await page.screenshot({ path: join(OUT, "exercises-home.png"), fullPage: false });

    // Progress is saved with the workspace: it stays across a reload.
    await page.reload();
    // The progress is read with the saved files, shortly after the page shows.
    await page.getByTestId("progress-summary").filter({ hasText: "1 of 5 modules complete" }).waitFor(LONG);
    assert.deepEqual(errors, []);
    await page.close();
  });

  const others = [
    {
      module: "data-quality",
      title: "Keep the readings, count the bad pressures",
      find: '@dp.expect_or_fail("valid pressure"',
      replace: '@dp.expect("valid pressure"',
      predict: /Every table exactly as it was/,
    },
    {
      module: "time-series",
      title: "Hourly means",
      find: 'freq="10 minutes", func="max"',
      replace: 'freq="1 hour", func="mean"',
      predict: /^10:00$/,
    },
    {
      module: "infrastructure-as-code",
      title: "Fix a validation error",
      find: "${bundle.nmae}",
      replace: "${bundle.name}",
    },
    {
      module: "monitoring-alerting",
      title: "The alert's condition",
      find: "comparison_operator: LESS_THAN",
      replace: "comparison_operator: GREATER_THAN",
    },
  ];
  for (const o of others) {
    it(`one exercise of ${o.module}: ${o.title}`, LONG, async () => {
      const { page, errors } = await session.open(`/modules/${o.module}/`, { engine: true });
      const region = exercise(page, o.title);
      await region.scrollIntoViewIfNeeded();
      await start(region);
      const hints = await readHints(region);
      assert.ok(hints.length >= 2, "progressive hints");
      if (o.predict) await region.getByRole("radio", { name: o.predict }).check();
      // Checked before the edit: the starting state fails, with a teaching message.
      assert.match(await check(region), /^✗ Not yet/);
      assert.match(await region.getByTestId("check-outcome").innerText(), /Think about:/);
      await typeOver(page, region, o.find, o.replace);
      assert.match(await check(region), /^✓ Passed/);
      assert.equal(await region.getByTestId("exercise-status").innerText(), "Passed");
      await page.getByRole("link", { name: "IoT Pipelines Workbook" }).click();
      await page.getByTestId(`exercises-${o.module}`).waitFor();
      assert.match(await page.getByTestId(`exercises-${o.module}`).innerText(), /^1 of \d+ exercises passed$/);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
