/**
 * Names and descriptions built to break out of their Markdown or HTML context (issue 15:
 * a scope name with backticks closed `mdCode`'s span early and rendered a link or a bold
 * "APPROVED" in the PR comment). Scope names may hold backticks, `|`, `[`, `]`, `(`, `<`, `*`
 * (model/aws-limits); descriptions anything, newlines included. Each report is rendered by a
 * real parser (commonmark for Markdown, parse5 for HTML) and must show the text as text.
 */
import { Parser as MarkdownParser, HtmlRenderer } from "commonmark";
import { parse } from "parse5";
import { mdCode, mdTable, mdText } from "../../reports/markdown-text";
import { diffModels } from "../../reports/access-diff";
import { renderAccessDiffMarkdown } from "../../reports/access-diff-markdown";
import { renderAccessMarkdown } from "../../reports/access-markdown";
import { renderAccessHtml } from "../../reports/access-html";
import { accessOf, editedModel, modelOf } from "./config-fixtures";
import multiApiConfig from "../../m2m.config";
import { validateConfig } from "../../model/validate";
import { modelPlatformAccess } from "../../reports/environment-access";
import { renderPlatformHtml } from "../../reports/platform-html";
import { renderPlatformMarkdown } from "../../reports/platform-markdown";

const HOSTILE_SCOPES = ["x`](javascript:alert(1))", "``**APPROVED**``", "<script>alert(1)<", "a|b|c", "[click](javascript:alert(1))", "`"];
const HOSTILE_TEXT = "line one\n# heading\n**APPROVED** <img src=x onerror=alert(1)> [a](javascript:alert(1)) | cell `code`";

function markdownToHtml(md: string): string {
  return new HtmlRenderer().render(new MarkdownParser().parse(md));
}

/** What a rendered comment must never contain: markup that came from a name. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<a\s/);
  expect(html).not.toMatch(/<strong>APPROVED/);
  expect(html).not.toMatch(/<script|<img|<h1>heading/);
  expect(html).not.toContain('href="javascript');
}

const hostileModel = () =>
  editedModel((c) => {
    for (const name of HOSTILE_SCOPES) c.api.scopes.push({ name, description: HOSTILE_TEXT });
    c.clients.push({ name: "intruder", description: HOSTILE_TEXT, scopes: HOSTILE_SCOPES });
    c.routes.push({ method: "GET", path: "/payments", scopes: HOSTILE_SCOPES, description: HOSTILE_TEXT });
  });

describe("markdown escaping primitives", () => {
  it.each(HOSTILE_SCOPES.concat(["`a`", " lead", "trail ", "``` fence ```"]))("mdCode(%j) renders exactly that text in one code span", (name) => {
    const html = markdownToHtml(`x ${mdCode(name)} y`);
    const code = /<code>([\s\S]*)<\/code>/.exec(html);
    // Outside a table GFM's `\|` stays literal: compare with the pipes escaped.
    const shown = code?.[1]?.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replace(/&quot;/g, '"');
    expect(shown).toBe(name.replace(/\|/g, "\\|"));
    expect(html.match(/<code>/g)).toHaveLength(1);
    expectInert(html);
  });

  it("the old mdCode closed its span early: a double backtick in the name ended it", () => {
    const oldMdCode = (text: string) => {
      const fence = text.includes("`") ? "``" : "`";
      const pad = fence.length > 1 ? " " : "";
      return `${fence}${pad}${text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|")}${pad}${fence}`;
    };
    expect(markdownToHtml(`Scope ${oldMdCode("``**APPROVED**``")}`)).toContain("<strong>APPROVED</strong>");
    expect(markdownToHtml(`Scope ${mdCode("``**APPROVED**``")}`)).not.toContain("<strong>");
  });

  it("mdText keeps newlines, links, emphasis and HTML out", () => {
    const html = markdownToHtml(`intro ${mdText(HOSTILE_TEXT)} outro`);
    expectInert(html);
    expect(html.match(/<p>/g)).toHaveLength(1); // one paragraph: the newlines did not start blocks
  });

  it("table cells keep their column count whatever the text holds", () => {
    const table = mdTable(["a", "b"], [[mdCode("a|b"), mdText("x | y\nz")]]);
    const unescapedPipes = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    const lines = table.split("\n");
    expect(lines).toHaveLength(3);
    expect(new Set(lines.map(unescapedPipes)).size).toBe(1);
  });
});

describe("reports built from hostile names", () => {
  const head = hostileModel();

  it("the access diff comment shows every hostile scope name as text, inside the marker comment", () => {
    const md = renderAccessDiffMarkdown(diffModels(modelOf(), head), { base: "origin/main`**x**", head: "the working tree" });
    const html = markdownToHtml(md);
    expectInert(html);
    for (const name of HOSTILE_SCOPES.filter((n) => !n.includes("|"))) {
      const escaped = name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
      expect(html).toContain(escaped);
    }
  });

  it("the access report (Markdown) stays inert, and every table row keeps the header's column count", () => {
    const md = renderAccessMarkdown(accessOf(head, "dev"));
    expectInert(markdownToHtml(md));
    const tables = md.split("\n\n").filter((block) => block.startsWith("| "));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const counts = table.split("\n").filter((line) => line.startsWith("|")).map((line) => line.replace(/\\\|/g, "").split("|").length);
      expect(new Set(counts).size).toBe(1);
    }
  });

  it("the access report (HTML) has no element or attribute a name brought in", () => {
    const html = renderAccessHtml(accessOf(head, "dev"));
    const document = parse(html);
    const scripts: number[] = [];
    const handlers: string[] = [];
    const visit = (node: any) => {
      if (node.tagName === "script") scripts.push(1);
      if (node.tagName === "img" || node.tagName === "a") handlers.push(node.tagName);
      for (const attr of node.attrs ?? []) if (/^on/i.test(attr.name) || (/^(href|src|action|formaction)$/i.test(attr.name) && /javascript:/i.test(attr.value))) handlers.push(attr.name);
      for (const child of node.childNodes ?? []) visit(child);
      if (node.content) visit(node.content);
    };
    visit(document);
    expect(scripts).toHaveLength(1); // the page's own, hash-pinned by its CSP
    expect(handlers).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;");
  });
});

describe("several APIs: hostile scope names and descriptions stay text", () => {
  const base = validateConfig(multiApiConfig);
  const head = (() => {
    const c = structuredClone(multiApiConfig) as any;
    for (const name of HOSTILE_SCOPES) c.apis[1].scopes.push({ name, description: HOSTILE_TEXT });
    c.apis[1].routes.push({ method: "GET", path: "/hostile", scopes: HOSTILE_SCOPES, description: HOSTILE_TEXT, response: { status: 200, body: {} } });
    c.clients.push({ name: "intruder", description: HOSTILE_TEXT, scopes: HOSTILE_SCOPES.map((s: string) => `payments:${s}`) });
    return validateConfig(c);
  })();

  it("access.md with a section per API", () => {
    const md = renderPlatformMarkdown(modelPlatformAccess(head)[0]!);
    expectInert(markdownToHtml(md));
    // Every table row keeps its columns: no `|` from a name splits a cell.
    for (const table of md.split("\n\n").filter((b) => b.startsWith("| "))) {
      const widths = table.split("\n").filter((row) => row !== "").map((row) => row.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size).toBe(1);
    }
  });

  it("the access diff grouped by API, with the cross-team grant", () => {
    const md = renderAccessDiffMarkdown(diffModels(base, head), { base: "main", head: "the pull request" });
    expect(md).toContain("**Cross-team grant**: Client `intruder` (new client)");
    expectInert(markdownToHtml(md));
  });

  it("the central view", () => {
    const doc = parse(renderPlatformHtml(modelPlatformAccess(head))) as unknown as { childNodes?: unknown[] };
    const tags: string[] = [];
    const walk = (n: any) => {
      if (n.tagName) tags.push(n.tagName);
      for (const c of n.childNodes ?? []) walk(c);
    };
    walk(doc);
    expect(tags.filter((t) => t === "script")).toHaveLength(1);
    expect(tags).not.toContain("img");
  });
});
