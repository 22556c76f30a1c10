// The volume and the tabs: what lands is listed at once, an upload joins its folder and shows
// its first rows, and a second tab of the workbook waits read-only until the first one closes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, browserSession, engineReady } from "../session.mjs";

const LONG = { timeout: 120_000 };
const session = browserSession();

const open = (path) => session.open(path);

const ready = engineReady;

describe("the volume browser", () => {
  it("lists generated files at once, lands an upload in its folder and previews it", LONG, async () => {
    const { page, errors } = await open("/workbench/");
    await ready(page);
    await page.getByRole("tab", { name: "Data", exact: true }).click();
    const volume = page.getByRole("region", { name: "Volume" });
    const sensorFolder = volume.getByRole("region", { name: /\/sensor_bronze, \d+ files?$/ });
    await sensorFolder.getByText("No files yet").waitFor(LONG);

    await page.getByRole("region", { name: "Data generator" }).getByRole("button", { name: "Generate", exact: true }).click();
    // Listed without leaving the tab: the browser reads the volume again after Generate.
    await sensorFolder.getByRole("button", { name: /^part-00000-.*\.csv$/ }).waitFor(LONG);
    const generated = await sensorFolder.getByTestId("volume-file").count();
    assert.ok(generated >= 2, `sensor_bronze holds ${generated} generated files`);

    const folders = await volume.getByLabel("Upload to").locator("option").evaluateAll((os) => os.map((o) => o.value));
    await volume.getByLabel("Upload to").selectOption(folders.find((f) => f.endsWith("/sensor_bronze")));
    const csv = "device_id,trip_id,factory_id,model_id,timestamp,airflow_rate,rotation_speed,air_pressure,temperature,delay,density\n"
      + "1,7,A06,SkyJet134,2023-12-31T23:59:00,1.5,2.5,3.5,4.5,5.5,6.5\n";
    await volume.getByLabel(/Choose files/).setInputFiles({ name: "my-readings.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const uploaded = sensorFolder.getByTestId("volume-file").filter({ hasText: "my-readings.csv" });
    await uploaded.waitFor(LONG);
    assert.match(await uploaded.innerText(), /uploaded/);
    assert.equal(await sensorFolder.getByTestId("volume-file").count(), generated + 1);

    await uploaded.getByRole("button", { name: "my-readings.csv", exact: true }).click();
    const preview = volume.getByRole("region", { name: /First rows of .*my-readings\.csv/ });
    await preview.getByRole("cell", { name: "SkyJet134" }).waitFor(LONG);
    await page.screenshot({ path: join(OUT, "volume-upload-preview.png"), fullPage: true });

    await uploaded.getByRole("button", { name: "Delete my-readings.csv" }).click();
    await uploaded.waitFor({ state: "detached", ...LONG });
    assert.equal(await sensorFolder.getByTestId("volume-file").count(), generated);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("two tabs", () => {
  it("a second tab waits read-only while the first holds the workbook, then takes over", LONG, async () => {
    const first = await open("/workbench/");
    await ready(first.page);
    const second = await open("/workbench/");
    const status = second.page.getByTestId("engine-status");
    await status.filter({ hasText: /open in another tab/ }).waitFor(LONG);
    assert.equal(await second.page.getByRole("button", { name: "Run update" }).isDisabled(), true);
    assert.equal(await second.page.getByTestId("code-editor").locator("textarea").getAttribute("readonly"), "");
    await second.page.screenshot({ path: join(OUT, "second-tab-waiting.png") });

    await first.page.close();
    await ready(second.page);
    await status.filter({ hasText: "Engine ready" }).waitFor(LONG);
    assert.equal(await second.page.getByTestId("code-editor").locator("textarea").getAttribute("readonly"), null);
    assert.deepEqual(first.errors, []);
    assert.deepEqual(second.errors, []);
    await second.page.close();
  });
});
