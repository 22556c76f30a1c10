// Parquet in the page: the engine worker has no Parquet code, so an upload is decoded and a
// Parquet download encoded by the codec worker the page starts on first use. Found by role
// and label, against the release build.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OUT, browserSession, generateAndRun } from "../session.mjs";

const LONG = { timeout: 120_000 };
const session = browserSession();
// Three readings (device_id bigint, site string, temperature double; a NULL in each of the
// last two), written by the parquet crate; the codec's native tests check the same rows.
const FIXTURE = fileURLToPath(new URL("../fixtures/readings.parquet", import.meta.url));

async function firstBytes(download, n) {
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks).subarray(0, n).toString("latin1");
}

describe("Parquet files", () => {
  it("downloads a table as Parquet, uploads a Parquet file into a landing folder and previews it", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });

    // Tables to download: a tiny generation and one update.
    await generateAndRun(page);

    // The engine sends Arrow IPC; the codec worker (fetched now) encodes it as Parquet.
    await page.getByRole("tab", { name: "Tables" }).click();
    await page.getByTestId("table-item-inspection_gold").click();
    const viewer = page.getByTestId("table-viewer");
    await viewer.getByTestId("table-status").filter({ hasText: /of [\d\s  ]+/ }).waitFor(LONG);
    const [download] = await Promise.all([page.waitForEvent("download", LONG), viewer.getByRole("button", { name: "Download Parquet" }).click()]);
    assert.equal(download.suggestedFilename(), "inspection_gold.parquet");
    assert.equal(await firstBytes(download, 4), "PAR1");

    // Upload into a landing folder: decoded by the codec, listed, previewed from the copy.
    await page.getByRole("tab", { name: "Data", exact: true }).click();
    const volume = page.getByRole("region", { name: "Volume", exact: true });
    const folder = await volume.getByTestId("upload-folder").inputValue();
    assert.match(folder, /^\/Volumes\/[^/]+\/[^/]+\/[^/]+/);
    await volume.getByLabel("Choose files…").setInputFiles(FIXTURE);
    const file = volume.getByRole("button", { name: "readings.parquet", exact: true });
    await file.waitFor(LONG);
    await file.click();
    const preview = volume.getByTestId("table-viewer");
    await preview.getByTestId("table-row").nth(2).waitFor(LONG);
    assert.equal(await preview.getByTestId("table-row").count(), 3);
    const header = await preview.innerText();
    for (const column of ["device_id", "site", "temperature"]) assert.match(header, new RegExp(column));
    assert.match(await preview.getByTestId("table-row").first().innerText(), /21\.5/);
    await page.screenshot({ path: join(OUT, "parquet-upload-preview.png"), fullPage: true });

    // A file that is not Parquet is refused with a sentence naming it.
    await volume.getByLabel("Choose files…").setInputFiles({ name: "notes.parquet", mimeType: "application/octet-stream", buffer: Buffer.from("device_id,site\n1,a\n") });
    await volume.getByRole("alert").filter({ hasText: /notes\.parquet is not a Parquet file/ }).waitFor(LONG);

    // Delete it again: the landing folder is read by the pipeline's CSV source.
    await volume.getByRole("button", { name: "Delete readings.parquet" }).click();
    await file.waitFor({ state: "detached", ...LONG });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
