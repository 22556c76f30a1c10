// "Download project" (workbench, Keep & share): the zip of either format holds exactly the
// files `iotwb export` writes for the same edited project, byte for byte; what the export
// cannot lower is listed in the page with its file:line:col; a project that does not load is
// an error with its place, and no download.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { OUT, browserSession } from "../session.mjs";
import { IOTWB } from "../native.mjs";

const LONG = { timeout: 180_000 };
const ROOT = resolve(new URL("../../..", import.meta.url).pathname);
const session = browserSession();
// The one flag the CLI derives from its output folder (`--storage`, default `DIR/storage`): a
// download has no folder, so it gets the export's own default, a local folder under /tmp.
const PAGE_STORAGE = "file:///tmp/iotwb-spark/iot_anomaly_detection_pipeline";

/** The bundle's name in the course project's databricks.yml: the download's name starts with it. */
const bundleName = async (variant) =>
  (await readFile(join(ROOT, "crates/pipeline/projects", variant, "databricks.yml"), "utf8")).match(/^bundle:\n\s+name:\s*(\S+)/m)[1];

/** Every file under `dir`, path → bytes. */
async function filesUnder(dir) {
  const out = new Map();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath ?? entry.path, entry.name);
      out.set(relative(dir, path), await readFile(path));
    }
  }
  return out;
}

/** Opens `path` of the project in the editor and replaces `from` with `to` in it. */
async function edit(page, path, from, to) {
  await page.getByRole("tab", { name: "Files" }).click();
  await page.getByRole("treeitem", { name: new RegExp(path.split("/").pop().replace(".", "\\.")) }).click();
  const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
  const text = await editor.inputValue();
  assert.ok(text.includes(from), `${from} in ${path}`);
  await editor.fill(text.replace(from, to));
  return text.replace(from, to);
}

/** The "Download project" section of the Keep & share tab. */
async function downloadSection(page) {
  await page.getByRole("tab", { name: "Keep & share" }).click();
  return page.getByRole("region", { name: "Run it on Spark or Databricks" });
}

/** Chooses `format` by its label, presses Download project, and unzips the download. */
async function downloadProject(page, format) {
  const section = await downloadSection(page);
  await section.getByRole("radio", { name: format }).check();
  const [download] = await Promise.all([
    page.waitForEvent("download", LONG),
    section.getByRole("button", { name: "Download project" }).click(),
  ]);
  const dir = await mkdtemp(join(tmpdir(), "iotwb-page-export-"));
  const zip = join(dir, download.suggestedFilename());
  await download.saveAs(zip);
  execFileSync("unzip", ["-q", zip, "-d", join(dir, "unzipped")]);
  const name = download.suggestedFilename();
  return { section, name, dir: join(dir, "unzipped", name.replace(/\.zip$/, "")) };
}

/** `iotwb export` of the course project `variant` with `file` edited, into a new folder. */
async function cliExport(variant, file, from, to, args) {
  const dir = await mkdtemp(join(tmpdir(), "iotwb-cli-export-"));
  const project = join(dir, "project");
  await cp(join(ROOT, "crates/pipeline/projects", variant), project, { recursive: true });
  const text = await readFile(join(project, file), "utf8");
  assert.ok(text.includes(from));
  await writeFile(join(project, file), text.replace(from, to));
  const out = join(dir, "out");
  const env = { ...process.env };
  delete env.IOTWB_USER; // the page's bundle resolves with the default user
  const stdout = execFileSync(IOTWB, ["export", project, "--out", out, ...args], { encoding: "utf8", env });
  return { out, stdout };
}

/** Asserts both folders hold the same files with the same bytes. */
async function assertSameFiles(pageDir, cliDir) {
  const [fromPage, fromCli] = [await filesUnder(pageDir), await filesUnder(cliDir)];
  assert.deepEqual([...fromPage.keys()].sort(), [...fromCli.keys()].sort());
  for (const [path, bytes] of fromCli) assert.ok(fromPage.get(path).equals(bytes), `${path} differs from iotwb export's`);
  return fromPage;
}

describe("Download project", () => {
  it("gives, for each format, exactly the files iotwb export writes for the edited project", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });
    const file = "src/silver/anomaly_detected.py";
    const [from, to] = ['(F.col("temperature") > 101)', '(F.col("temperature") > 95)'];
    await edit(page, file, from, to);

    const bundle = await bundleName("iot_python");
    const spark = await downloadProject(page, "Spark declarative pipelines project");
    assert.equal(spark.name, `${bundle}-spark.zip`);
    await spark.section.getByTestId("download-outcome").filter({ hasText: `Saved ${bundle}-spark.zip: ` }).waitFor();
    assert.equal(await spark.section.getByRole("region", { name: "Not lowered" }).count(), 0);
    const cli = await cliExport("iot_python", file, from, to, ["--format", "spark", "--storage", PAGE_STORAGE]);
    const files = await assertSameFiles(spark.dir, cli.out);
    assert.match(files.get(file).toString(), /> 95\)/);
    assert.match(files.get("spark-pipeline.yml").toString(), /iotwb\.volume: ""/);
    await page.screenshot({ path: join(OUT, "download-project.png"), fullPage: true });

    const databricks = await downloadProject(page, "Databricks bundle");
    assert.equal(databricks.name, `${bundle}-databricks.zip`);
    const cliBundle = await cliExport("iot_python", file, from, to, ["--format", "databricks"]);
    const bundleFiles = await assertSameFiles(databricks.dir, cliBundle.out);
    assert.match(bundleFiles.get(file).toString(), /> 95\)/);
    assert.ok(bundleFiles.has("databricks.yml"));
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("lists what cannot be lowered with its place, and the place opens in the editor", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });
    await page.setViewportSize({ width: 1280, height: 1500 }); // the whole section in its screenshots
    await page.getByTestId("variant-sql").click();
    const file = "src/gold/inspection_gold.sql";
    const from = "          count(*) AS `count`,\n";
    const to = from + "          ai_summarize(model_id) AS model_summary,\n";
    const text = await edit(page, file, from, to);
    const line = text.split("\n").findIndex((l) => l.includes("ai_summarize")) + 1;
    const place = `${file}:${line}:11`;

    const spark = await downloadProject(page, "Spark declarative pipelines project");
    const panel = spark.section.getByRole("region", { name: "Not lowered" });
    await panel.waitFor();
    const listed = await panel.getByRole("listitem").allInnerTexts();
    assert.equal(listed.length, 1);
    assert.match(listed[0], new RegExp(`^${place.replace(/\./g, "\\.")}\\s+\`ai_summarize\` is a Databricks AI function`));
    const cli = await cliExport("iot_sql", file, from, to, ["--format", "spark", "--storage", PAGE_STORAGE]);
    assert.match(cli.stdout, new RegExp(`NOT LOWERED ${place.replace(/\./g, "\\.")}: `));
    const files = await assertSameFiles(spark.dir, cli.out);
    assert.match(files.get("README.md").toString(), new RegExp(place.replace(/\./g, "\\.")));

    await spark.section.screenshot({ path: join(OUT, "download-not-lowered.png") });
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await spark.section.screenshot({ path: join(OUT, "download-not-lowered-dark.png") });
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));

    // By keyboard: the place is a button that opens the file at that line.
    await panel.getByRole("button", { name: place }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("editor-path").filter({ hasText: file }).waitFor();
    assert.match(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), /ai_summarize/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("a project that does not load: the error with its place, no download, the files kept", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });
    await page.setViewportSize({ width: 1280, height: 1500 });
    const file = "src/gold/inspection_gold.py";
    const broken = await edit(page, file, "def ", "def (");
    const section = await downloadSection(page);
    let downloaded = false;
    page.on("download", () => (downloaded = true));
    await section.getByRole("radio", { name: "Spark declarative pipelines project" }).focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    const alert = section.getByRole("alert");
    await alert.waitFor(LONG);
    assert.match(await alert.innerText(), new RegExp(`^${file.replace(/\./g, "\\.")}:\\d+:\\d+\\s+Not exported: `));
    await section.screenshot({ path: join(OUT, "download-error.png") });
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await section.screenshot({ path: join(OUT, "download-error-dark.png") });
    await page.evaluate(() => (document.documentElement.dataset.theme = "light"));
    await alert.getByRole("button", { name: /^src\/gold\/inspection_gold\.py:\d+:\d+$/ }).click();
    await page.getByTestId("editor-path").filter({ hasText: file }).waitFor();
    assert.equal(await page.getByTestId("editor-pane").getByTestId("editor-input").inputValue(), broken);
    assert.equal(downloaded, false);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
