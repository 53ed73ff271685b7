/**
 * The README and every page under docs/: each relative link points at a file that exists, and
 * each `#anchor` at a heading of that page (GitHub's anchor rules: lower case, punctuation
 * dropped, spaces to hyphens, repeats numbered).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks (links in code are examples, not links). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, title] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = title!
      .replace(/`/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

const links = PAGES.flatMap((page) =>
  [...prose(readFileSync(join(ROOT, page), "utf8")).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => [page, target] as const),
);

test("the pages have links to check", () => {
  expect(PAGES).toEqual(expect.arrayContaining(["README.md", "docs/configure.md", "docs/verification.md"]));
  expect(links.length).toBeGreaterThan(30);
});

test.each(links)("%s -> %s", (page, target) => {
  const [file, anchor] = target.split("#") as [string, string | undefined];
  const path = file === "" ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), file);
  expect(relative(ROOT, path).startsWith("..")).toBe(false);
  expect(existsSync(path)).toBe(true);
  if (anchor !== undefined && path.endsWith(".md")) expect([...anchorsOf(readFileSync(path, "utf8"))]).toContain(anchor);
});

test("the anchor rules match GitHub's for the headings these pages use", () => {
  expect([...anchorsOf("## Before you deploy: m2m doctor\n## The `m2m` CLI\n## Design notes: the scope checker's allow-list\n## A\n## A")]).toEqual([
    "before-you-deploy-m2m-doctor",
    "the-m2m-cli",
    "design-notes-the-scope-checkers-allow-list",
    "a",
    "a-1",
  ]);
});

test("the README front page stays short: at most 250 lines", () => {
  expect(readFileSync(join(ROOT, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(250);
});
