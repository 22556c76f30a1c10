// Whole flows of the built workbook (dist/) in headless Chromium, served like a static host.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { serveDir } from "../serve.mjs";
import { watchErrors } from "../browser.mjs";
import { DIST, OUT, browserSession } from "../session.mjs";
const LESSON_IDS = (await readdir(new URL("../../../lessons", import.meta.url)))
  // Modules are the numbered lessons (lessons/glossary.md is a page of its own).
  .filter((f) => /^\d+-.*\.md$/.test(f))
  .sort()
  .map((f) => f.replace(/^\d+-/, "").replace(/\.md$/, ""));

// Each test on a fresh profile (the harness): progress starts at zero in every test. Counts
// come from the lessons folder, not literals.
const session = browserSession();
const MODULES = LESSON_IDS.length;

const open = (path) => session.open(path);

const shot = (page, name) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

describe("home page", () => {
  it("introduces the workbook and lists every module with progress", async () => {
    const { page, errors } = await open("/");
    assert.match(await page.locator("main h1").innerText(), /pipelines/i);
    assert.ok(MODULES > 0, "lessons found");
    for (const id of LESSON_IDS) {
      assert.ok(await page.getByTestId(`card-${id}`).isVisible(), `card for ${id}`);
    }
    assert.equal(await page.getByTestId("progress-summary").innerText(), `0 of ${MODULES} modules complete`);
    await shot(page, "home");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("module pages", () => {
  for (const [index, id] of LESSON_IDS.entries()) {
    it(`module ${index + 1} (${id}) renders its lesson from the navigation`, async () => {
      const { page, errors } = await open("/");
      await page.getByTestId(`nav-${id}`).click();
      await page.getByTestId(`module-${id}`).waitFor();
      assert.equal(new URL(page.url()).pathname, `/modules/${id}`);
      const body = page.getByTestId("lesson-body");
      const words = (await body.innerText()).split(/\s+/).length;
      assert.ok(words > 800, `lesson ${id} has ${words} words`);
      assert.ok((await page.locator(".lesson h2").count()) >= 3, "sections");
      assert.ok((await page.getByTestId("objectives").locator("li").count()) >= 3, "objectives");
      assert.ok((await page.locator(".lesson .code-block").count()) >= 1, "code blocks");
      await shot(page, `module-${index + 1}-${id}`);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  it("a deep link loads directly (static host, no SPA fallback) and reload keeps the page", async () => {
    const id = LESSON_IDS[2];
    const { page, errors } = await open(`/modules/${id}/`);
    await page.getByTestId(`module-${id}`).waitFor();
    await page.reload();
    await page.getByTestId(`module-${id}`).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it("an unknown module explains itself and lists the real ones", async () => {
    const { page } = await open("/");
    await page.evaluate(() => {
      history.pushState(null, "", "/modules/no-such-module");
      dispatchEvent(new PopStateEvent("popstate"));
    });
    const error = page.getByTestId("module-error");
    await error.waitFor();
    const text = await error.innerText();
    assert.match(text, /no-such-module/);
    for (const id of LESSON_IDS) assert.match(text, new RegExp(id));
    await page.close();
  });

  it("the copy button copies a code block's text", async () => {
    await session.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: session.origin });
    const { page } = await open(`/modules/${LESSON_IDS[0]}/`);
    const block = page.locator(".lesson .code-block").first();
    await block.locator("button.copy-code").click();
    await assert.doesNotReject(block.locator("button.copy-code", { hasText: "Copied" }).waitFor());
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await block.locator("code").innerText());
    await page.close();
  });
});

describe("progress and theme", () => {
  it("a module's completion follows from its exercises, on the module page and the home page", async () => {
    const id = LESSON_IDS[0];
    const { page } = await open(`/modules/${id}/`);
    assert.match(await page.getByTestId("module-status").innerText(), /^0 of \d+ exercises passed/);
    assert.equal(await page.getByRole("checkbox", { name: /completed this module/ }).count(), 0);
    await page.getByRole("link", { name: "IoT Pipelines Workbook" }).click();
    await page.getByTestId(`exercises-${id}`).waitFor();
    assert.match(await page.getByTestId(`exercises-${id}`).innerText(), /^0 of \d+ exercises passed$/);
    await page.close();
  });

  it("the theme toggle cycles system → light → dark and the choice persists", async () => {
    const { page } = await open("/");
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    assert.equal(await theme(), "system");
    await page.getByTestId("theme-toggle").click();
    assert.equal(await theme(), "light");
    await page.getByTestId("theme-toggle").click();
    assert.equal(await theme(), "dark");
    await page.reload();
    await page.locator("main h1").waitFor();
    assert.equal(await theme(), "dark");
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.equal(background, "rgb(15, 20, 25)");
    await page.goto(`${session.origin}/modules/${LESSON_IDS[2]}/`);
    await page.getByTestId(`module-${LESSON_IDS[2]}`).waitFor();
    await shot(page, "module-3-dark");
    await page.getByTestId("theme-toggle").click(); // back to system for the other tests
    await page.close();
  });

  it("is keyboard navigable: the skip link comes first and focus is visible", async () => {
    const { page } = await open("/");
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => document.activeElement.textContent);
    assert.equal(first, "Skip to content");
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, "solid");
    await page.close();
  });
});

describe("workbench", () => {
  it("the header links the full-page workbench, which shows the project's files and graph", async () => {
    const { page, errors } = await open("/");
    await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: "Workbench" }).click();
    await page.getByTestId("workbench").waitFor();
    assert.equal(new URL(page.url()).pathname, "/workbench");
    await page.getByRole("treeitem", { name: /databricks\.yml/ }).waitFor();
    await page.getByTestId("pipeline-graph").locator("[data-testid^=graph-node-]").first().waitFor({ timeout: 30_000 });
    await shot(page, "workbench-empty");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("glossary", () => {
  it("lessons link their terms to the glossary, which reads at a module's width", async () => {
    const { page, errors } = await open(`/modules/${LESSON_IDS[0]}/`);
    const term = page.locator("article").getByRole("link", { name: "flow", exact: true }).first();
    assert.match(await term.getAttribute("title"), /\S/, "the link's title holds the definition");
    await term.click();
    await page.getByRole("heading", { name: "Glossary", level: 1 }).waitFor();
    const width = await page.getByTestId("glossary").locator("article").evaluate((a) => a.getBoundingClientRect().width);
    assert.ok(width > 500, `the glossary's text is ${width}px wide`);
    await shot(page, "glossary");
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("static hosting under a folder", () => {
  it("works from /course/ with relative asset paths", async () => {
    const hosted = await serveDir(DIST, { prefix: "/course/" });
    const page = await session.context.newPage();
    const errors = watchErrors(page);
    try {
      const url = `http://127.0.0.1:${hosted.address().port}/course/`;
      await page.goto(url);
      await page.getByTestId(`nav-${LESSON_IDS[1]}`).click();
      await page.getByTestId(`module-${LESSON_IDS[1]}`).waitFor();
      assert.equal(new URL(page.url()).pathname, `/course/modules/${LESSON_IDS[1]}`);
      await page.reload();
      await page.getByTestId(`module-${LESSON_IDS[1]}`).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      hosted.close();
    }
  });
});
