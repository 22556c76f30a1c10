// Share by link: a learner's edited pipeline travels in a URL's fragment to another browser
// (a separate profile), arrives after a question, and runs with the same results. Hostile links
// each give their sentence and change nothing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { join } from "node:path";
import { launch, watchErrors } from "../browser.mjs";
import { OUT, browserSession, engineReady, generateAndRun } from "../session.mjs";

const LONG = { timeout: 180_000 };
const session = browserSession();
let other;

before(async () => {
  other = await launch();
});

after(async () => {
  await other?.close();
});

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
const link = (origin, json) => `${origin}/workbench/#share=${b64url(deflateRawSync(Buffer.from(JSON.stringify(json))))}`;

/** A sum over silver's EMA column (it depends on the EMA window) and gold's row count. */
async function results(page) {
  await page.getByRole("tab", { name: "SQL" }).click();
  await page.getByTestId("sql-input").fill("SELECT round(sum(sensor_EMA_rotation_speed), 6) AS s, (SELECT count(*) FROM inspection_gold) AS gold FROM inspection_silver");
  await page.getByRole("button", { name: "Run query" }).click();
  const row = page.getByTestId("sql-console").getByTestId("table-row").first();
  await row.waitFor(LONG);
  return row.innerText();
}

async function fileText(page, name) {
  await page.getByRole("tab", { name: "Files" }).click();
  await page.getByRole("treeitem", { name }).click();
  return page.getByTestId("editor-pane").getByTestId("editor-input").inputValue();
}

describe("share by link", () => {
  it("an edited pipeline arrives in another browser, after a question, and runs with the same results", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });
    await page.getByRole("treeitem", { name: /inspection_silver\.py/ }).click();
    const editor = page.getByTestId("editor-pane").getByTestId("editor-input");
    const edited = (await editor.inputValue()).replace("window=5", "window=10");
    assert.match(edited, /window=10/);
    await editor.fill(edited);
    await page.getByTestId("problems").filter({ hasText: /No problems/ }).waitFor(LONG);
    await generateAndRun(page);
    const mine = await results(page);

    await page.getByRole("tab", { name: "Keep & share" }).click();
    await page.getByRole("button", { name: "Make share link" }).click();
    const url = await page.getByRole("textbox", { name: "Share link" }).inputValue();
    assert.match(url, /\/workbench#share=[A-Za-z0-9_-]+$/);
    console.log(`share: a link with one changed file is ${url.length} characters`);
    await page.screenshot({ path: join(OUT, "share-keep-panel.png"), fullPage: true });

    // Another learner, another browser profile.
    const theirs = await other.newPage();
    const theirErrors = watchErrors(theirs);
    await theirs.goto(url);
    const dialog = theirs.getByRole("dialog", { name: "Open a shared pipeline?" });
    await dialog.waitFor(LONG);
    assert.match(await dialog.innerText(), /1 file changed|1 file changed, 0 files added/);
    assert.match(await dialog.innerText(), /inspection_silver\.py/);
    await theirs.screenshot({ path: join(OUT, "share-dialog.png") });
    await theirs.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await theirs.screenshot({ path: join(OUT, "share-dialog-dark.png") });
    await theirs.evaluate(() => (document.documentElement.dataset.theme = "light"));
    await engineReady(theirs);
    await dialog.getByRole("button", { name: "Replace my project" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.equal(new URL(theirs.url()).hash, "", "the link leaves the address bar");
    assert.equal(await fileText(theirs, /inspection_silver\.py/), edited);
    await theirs.getByTestId("problems").filter({ hasText: /No problems/ }).waitFor(LONG);
    await generateAndRun(theirs);
    assert.equal(await results(theirs), mine, "the same results in both browsers");
    assert.deepEqual(theirErrors, []);
    await theirs.close();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("hostile links each say why and change nothing; a link's text is shown as text", LONG, async () => {
    const { page, errors } = await session.open("/workbench/", { engine: true });
    const before = await fileText(page, /inspection_silver\.py/);
    const origin = session.origin;
    const huge = `${origin}/workbench/#share=${"A".repeat(140_000)}`;
    const bomb = `${origin}/workbench/#share=${b64url(deflateRawSync(Buffer.alloc(3_000_000, 32)))}`;
    const valid = link(origin, { format: 1, variant: "python", files: { "src/a.py": "x = 1\n".repeat(200) } });
    const cases = [
      [`${origin}/workbench/#share=<script>window.pwned=1</script>`, /does not belong there at column 1/],
      [huge, /more than the 131072 a share link may have/],
      [bomb, /unpacks to more than 1 MB/],
      [valid.slice(0, valid.length - 40), /incomplete/],
      [link(origin, { format: 2, variant: "python", files: {} }), /share format 2, and this workbook reads format 1/],
      [link(origin, { format: 1, variant: "python", files: { "<img src=x onerror=window.pwned=1>.py": "x" } }), /cannot be a project file/],
      [link(origin, { format: 1, variant: "python", files: { "../../etc/passwd.py": "x" } }), /cannot be a project file/],
      [`${origin}/workbench/#share=${b64url(Buffer.from("not deflate at all"))}`, /incomplete|not a project/],
    ];
    for (const [url, message] of cases) {
      await page.goto(url);
      const dialog = page.getByRole("dialog", { name: "This link cannot be opened" });
      await dialog.waitFor(LONG);
      const text = await dialog.getByTestId("share-error").innerText();
      assert.match(text, message, url.slice(0, 120));
      assert.match(text, /Nothing was changed/);
      await dialog.getByRole("button", { name: "Close" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal(await page.evaluate(() => window.pwned), undefined);
    }
    await page.goto(cases[0][0]);
    await page.getByRole("dialog").waitFor(LONG);
    await page.screenshot({ path: join(OUT, "share-hostile-link.png") });

    // A script in a file's text is text: shown in the dialog, never run; Keep my work leaves all as it was.
    await page.goto(link(origin, { format: 1, variant: "python", files: { "src/x.py": "<script>window.pwned=1</script><b>bold</b>" } }));
    const dialog = page.getByRole("dialog", { name: "Open a shared pipeline?" });
    await dialog.waitFor(LONG);
    await dialog.getByText("src/x.py").click();
    assert.equal(await dialog.locator("pre").innerText(), "<script>window.pwned=1</script><b>bold</b>");
    assert.equal(await dialog.locator("pre b, pre script").count(), 0);
    await dialog.getByRole("button", { name: "Keep my work" }).click();
    assert.equal(await page.evaluate(() => window.pwned), undefined);
    await engineReady(page);
    assert.equal(await fileText(page, /inspection_silver\.py/), before, "nothing changed");
    assert.equal(await page.getByRole("treeitem", { name: /x\.py$/ }).count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
