// The project around the run: sorting a table, switching the bundle's target, and the banner
// that tells a learner the course published a changed original of a file they copied.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUT, browserSession, generateAndRun, savedDocument, until } from "../session.mjs";

const LONG = { timeout: 120_000 };
const session = browserSession();

const open = (path) => session.open(path, { engine: true });

/** The viewer's first column values, top to bottom. */
const firstColumn = (viewer) => viewer.getByTestId("table-row").evaluateAll((rows) => rows.map((r) => r.querySelector("td")?.textContent ?? ""));

describe("the project", () => {
  it("the file a page opens first is in the editor: typing edits it, not an empty copy", LONG, async () => {
    const { page, errors } = await open("/workbench/");
    const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
    await page.waitForFunction(() => !document.querySelector('[data-testid="editor-input"]').readOnly, null, LONG);
    // The highlighted copy ends with a space so that its last empty line keeps its height.
    const shown = (await page.getByTestId("editor-pane").locator("pre.editor-highlight").textContent()).replace(/ $/, "");
    assert.ok(shown.length > 100, "the highlighted copy shows the file");
    assert.equal(await editor.inputValue(), shown, "the textarea holds what the learner sees");
    await editor.focus();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("# typed at the end\n");
    assert.equal(await editor.inputValue(), `${shown}# typed at the end\n`);
    await page.keyboard.press("Control+z");
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("sorts a table by a column, both ways, from its header", LONG, async () => {
    const { page, errors } = await open("/workbench/");
    await generateAndRun(page);

    await page.getByRole("tab", { name: "Tables" }).click();
    await page.getByTestId("table-item-sensor_bronze").click();
    const viewer = page.getByTestId("table-viewer");
    await viewer.getByTestId("table-row").first().waitFor(LONG);
    const header = viewer.getByRole("columnheader", { name: /^device_id/ });
    await viewer.getByRole("button", { name: /^device_id, int: sort$/ }).click();
    await header.and(page.locator('[aria-sort="ascending"]')).waitFor(LONG);
    const up = (await firstColumn(viewer)).map(Number);
    assert.deepEqual(up, [...up].sort((a, b) => a - b), "ascending device ids");
    await viewer.getByRole("button", { name: /^device_id, int: sort$/ }).click();
    await header.and(page.locator('[aria-sort="descending"]')).waitFor(LONG);
    const down = (await firstColumn(viewer)).map(Number);
    assert.deepEqual(down, [...down].sort((a, b) => b - a), "descending device ids");
    assert.ok(down[0] > up[0], `the largest id ${down[0]} above the smallest ${up[0]}`);
    await page.screenshot({ path: join(OUT, "project-sorted-table.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("switches the bundle's target: the pipeline takes the target's name", LONG, async () => {
    const { page, errors } = await open("/workbench/");
    const target = page.getByTestId("target-select");
    const graphOf = (name) => page.getByRole("group", { name: new RegExp(`^Pipeline graph of ${name}`) });
    await graphOf("\\[dev ").waitFor(LONG);
    await target.selectOption("prod");
    await graphOf("iot_anomaly_detection_prod$").waitFor(LONG);
    await target.selectOption("dev");
    await graphOf("\\[dev ").waitFor(LONG);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("a changed published original raises the banner, shows the diff, and resets the file", LONG, async () => {
    const { page, errors } = await open("/workbench/");
    const editor = page.getByTestId("code-editor").locator("textarea");
    // The saved files are read (the editor turns editable) before the test reads the original.
    await page.waitForFunction(() => {
      const area = document.querySelector('[data-testid="code-editor"] textarea');
      return area && !area.readOnly && area.value.length > 0;
    }, null, LONG);
    const path = (await page.getByTestId("editor-path").innerText()).trim();
    const original = await editor.inputValue();
    // An edit, saved; then the saved copy claims an older original (the host published a new one).
    await editor.focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.type("# my note\n");
    await page.keyboard.press("Control+s");
    // Wait until the saved copy holds the edit and the original's fingerprint.
    const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    await until(async () => {
      const doc = await savedDocument(page);
      return doc !== null && doc.includes("# my note") && new RegExp(`"${escaped}":\\d`).test(doc);
    });
    await page.evaluate(async (p) => {
      const root = await navigator.storage.getDirectory();
      const handle = await root.getFileHandle("iotwb-workspace.json");
      const text = await (await handle.getFile()).text();
      // Fingerprints are u64: edit the text, not a parsed copy that would round them.
      const escaped = p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
      const older = text.replace(new RegExp(`("${escaped}":)\\d+`), "$11");
      if (older === text) throw new Error(`no fingerprint for ${p}`);
      const writable = await handle.createWritable();
      await writable.write(older);
      await writable.close();
    }, path);
    await page.reload();
    const banner = page.getByRole("region", { name: "Updated course files" });
    await banner.waitFor(LONG);
    assert.match(await banner.innerText(), new RegExp(path.replace(/[.]/g, "\\.")));
    await banner.getByRole("button", { name: "Show differences" }).click();
    const diff = banner.getByLabel(`Differences in ${path}`);
    await diff.waitFor(LONG);
    assert.match(await diff.innerText(), /# my note/);
    await page.screenshot({ path: join(OUT, "project-outdated-banner.png"), fullPage: true });
    await banner.getByRole("button", { name: "Reset these files" }).click();
    await banner.waitFor({ state: "detached", ...LONG });
    await page.getByTestId("editor-path").filter({ hasText: path }).waitFor(LONG);
    assert.equal(await page.getByTestId("code-editor").locator("textarea").inputValue(), original);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
