// The learner's work is safe: a full disk, a damaged saved copy and one of an unknown format
// each give a clear message, the files are offered as a download, and the workbook keeps
// working. The workspace file (zip) exports and imports the whole project.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OUT, browserSession, engineReady, generateAndRun } from "../session.mjs";

const LONG = { timeout: 180_000 };
const session = browserSession();

/** Saves a download into a temporary folder; its path. */
async function saved(download) {
  const path = join(await mkdtemp(join(tmpdir(), "iotwb-download-")), download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

/** One file of a zip, as text (`unzip -p`). */
const unzipped = (zip, entry) => execFileSync("unzip", ["-p", zip, entry], { encoding: "utf8" });

/** Writes `text` as the page's saved files in the origin-private file system. */
const writeSaved = (page, text) =>
  page.evaluate(async (text) => {
    const root = await navigator.storage.getDirectory();
    const file = await root.getFileHandle("iotwb-workspace.json", { create: true });
    const writable = await file.createWritable();
    await writable.write(text);
    await writable.close();
  }, text);

async function editGold(page, suffix) {
  await page.getByRole("tab", { name: "Files" }).click();
  await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
  const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
  const text = (await editor.inputValue()) + suffix;
  await editor.fill(text);
  return text;
}

describe("the learner's work is safe", () => {
  it("a full disk: the message, the files as a download, and saving resumes once there is room", LONG, async () => {
    const page = await session.context.newPage();
    // The browser's storage refuses every write while `window.diskFull` is set.
    await page.addInitScript(() => {
      const write = FileSystemWritableFileStream.prototype.write;
      FileSystemWritableFileStream.prototype.write = function (...args) {
        if (window.diskFull) return Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError"));
        return write.apply(this, args);
      };
    });
    await page.goto(`${session.origin}/workbench/`);
    await engineReady(page);
    await page.evaluate(() => (window.diskFull = true));
    const text = await editGold(page, "\n# written on a full disk\n");
    const alert = page.getByTestId("storage-alert");
    await alert.filter({ hasText: "storage for this site is full" }).waitFor(LONG);
    await page.screenshot({ path: join(OUT, "safekeeping-disk-full.png") });
    const [download] = await Promise.all([page.waitForEvent("download", LONG), alert.getByRole("button", { name: "Download my files" }).click()]);
    const zip = await saved(download);
    assert.equal(unzipped(zip, "project/src/gold/inspection_gold.py"), text);
    assert.equal(JSON.parse(unzipped(zip, "iotwb-workspace.json")).variant, "python");

    // The workbook keeps working, and saving resumes once there is room.
    await page.evaluate(() => (window.diskFull = false));
    await editGold(page, "# room again\n");
    await alert.waitFor({ state: "detached", ...LONG });
    await generateAndRun(page);
    await page.close();
  });

  for (const [name, content, message] of [
    ["damaged", '{"format":1,"variant":"python","files":{"src/a.py":"x = ', /damaged/],
    ["of an unknown format", '{"format":99,"variant":"python","files":{},"future":true}', /format 99 and this workbook reads format 1/],
  ]) {
    it(`a saved copy that is ${name}: the message, the copy and the files as downloads, the workbook works`, LONG, async () => {
      const page = await session.context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${session.origin}/workbench/`);
      await engineReady(page);
      await page.waitForTimeout(500);
      await writeSaved(page, content);
      await page.reload();
      await engineReady(page);
      const alert = page.getByTestId("storage-alert");
      await alert.waitFor(LONG);
      assert.match(await alert.innerText(), message);
      assert.match(await alert.innerText(), /kept aside in this browser/);
      await page.screenshot({ path: join(OUT, `safekeeping-${name.replace(/ /g, "-")}.png`) });
      await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
      await alert.screenshot({ path: join(OUT, `safekeeping-${name.replace(/ /g, "-")}-dark.png`) });
      await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
      const [copy] = await Promise.all([page.waitForEvent("download", LONG), alert.getByRole("button", { name: "Download the saved copy" }).click()]);
      assert.equal(await readFile(await saved(copy), "utf8"), content, "the saved copy exactly as it was");
      const [files] = await Promise.all([page.waitForEvent("download", LONG), alert.getByRole("button", { name: "Download my files" }).click()]);
      assert.match(unzipped(await saved(files), "project/databricks.yml"), /bundle:/);
      // The published project is shown and works; the unreadable copy stays aside.
      await page.getByTestId("problems").filter({ hasText: /No problems/ }).waitFor(LONG);
      await editGold(page, "\n# after the damage\n");
      await page.waitForTimeout(800);
      const aside = await page.evaluate(async () => {
        const root = await navigator.storage.getDirectory();
        return (await (await root.getFileHandle("iotwb-workspace.unreadable.json")).getFile()).text();
      });
      assert.equal(aside, content);
      await alert.getByRole("button", { name: "Dismiss" }).click();
      await generateAndRun(page);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  it("the workspace exports as one zip (files, generator settings, tables as Parquet) and imports back", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });
    await generateAndRun(page);
    const text = await editGold(page, "\n# exported\n");
    await page.getByRole("tab", { name: "Keep & share" }).click();
    const panel = page.locator(".keep-panel");
    await panel.getByTestId("storage-usage").filter({ hasText: /takes .* of the/ }).waitFor(LONG);
    await panel.getByLabel("Include the tables as Parquet").check();
    const [download] = await Promise.all([page.waitForEvent("download", LONG), panel.getByRole("button", { name: "Export workspace" }).click()]);
    const zip = await saved(download);
    assert.equal(download.suggestedFilename(), "iotwb-workspace.zip");
    const listing = execFileSync("unzip", ["-l", zip], { encoding: "utf8" });
    assert.match(listing, /tables\/.*inspection_gold\.parquet/);
    assert.equal(execFileSync("unzip", ["-p", zip, listing.match(/tables\/\S*inspection_gold\.parquet/)[0]]).subarray(0, 4).toString(), "PAR1");
    assert.equal(unzipped(zip, "project/src/gold/inspection_gold.py"), text);
    const manifest = JSON.parse(unzipped(zip, "iotwb-workspace.json"));
    assert.equal(manifest.generator.preset, "tiny");
    await page.screenshot({ path: join(OUT, "safekeeping-keep-panel.png"), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await page.screenshot({ path: join(OUT, "safekeeping-keep-panel-dark.png"), fullPage: true });
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));

    // Change the file again, then import the zip: the exported text is back.
    await editGold(page, "# not exported\n");
    await page.getByRole("tab", { name: "Keep & share" }).click();
    await panel.getByLabel("Import workspace…").setInputFiles(zip);
    await panel.getByTestId("keep-outcome").filter({ hasText: /Imported iotwb-workspace\.zip/ }).waitFor(LONG);
    assert.match(await panel.getByTestId("keep-outcome").innerText(), /tables are for reading elsewhere/);
    await page.getByRole("tab", { name: "Files" }).click();
    await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
    assert.equal(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), text);

    // A file that is not a workspace file says so and changes nothing.
    await page.getByRole("tab", { name: "Keep & share" }).click();
    await panel.getByLabel("Import workspace…").setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("not a zip") });
    await panel.getByTestId("keep-outcome").filter({ hasText: /notes\.zip is not a workspace file/ }).waitFor(LONG);
    await page.getByRole("tab", { name: "Files" }).click();
    await page.getByRole("treeitem", { name: /inspection_gold\.py/ }).click();
    assert.equal(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), text);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
