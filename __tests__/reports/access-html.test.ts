/**
 * access.html: parses as HTML, a row per client and a column per route with the right marks,
 * config text escaped, and nothing loaded from anywhere (no external URLs, CSP-pinned inline code).
 */
import { createHash } from "node:crypto";
import { parse } from "parse5";
import { renderAccessHtml } from "../../reports/access-html";
import { accessOf, clientNamed, editedModel, modelOf } from "./config-fixtures";

interface Node {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  value?: string;
  content?: Node; // <template>
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const child of node.childNodes ?? []) walk(child, visit);
  if (node.content) walk(node.content, visit);
}

function elements(root: Node, tag: string): Node[] {
  const found: Node[] = [];
  walk(root, (n) => {
    if (n.tagName === tag) found.push(n);
  });
  return found;
}

function attr(node: Node, name: string): string | undefined {
  return node.attrs?.find((a) => a.name === name)?.value;
}

function text(node: Node): string {
  let out = "";
  walk(node, (n) => {
    if (n.nodeName === "#text") out += n.value ?? "";
  });
  return out;
}

function byId(root: Node, id: string): Node {
  let found: Node | undefined;
  walk(root, (n) => {
    if (attr(n, "id") === id) found = n;
  });
  if (!found) throw new Error(`no element #${id}`);
  return found;
}

function children(node: Node, tag: string): Node[] {
  return (node.childNodes ?? []).filter((c) => c.tagName === tag);
}

function parsePage(html: string): Node {
  return parse(html) as unknown as Node;
}

describe("access.html for the default config", () => {
  const access = accessOf(modelOf(), "dev");
  const html = renderAccessHtml(access);
  const doc = parsePage(html);
  const matrix = byId(doc, "matrix");
  const headRow = children(children(matrix, "thead")[0]!, "tr")[0]!;
  const bodyRows = children(children(matrix, "tbody")[0]!, "tr");

  it("has one row per client and one column per route (after the client column)", () => {
    expect(bodyRows.map((r) => attr(r, "data-client"))).toEqual(access.clients.map((c) => c.name));
    const columns = children(headRow, "th");
    expect(columns).toHaveLength(1 + access.routes.length);
    expect(columns.slice(1).map((th) => attr(th, "data-route"))).toEqual(["GET /hello-world", "GET /premium", "POST /premium", "POST /payments"]);
    for (const row of bodyRows) expect(children(row, "td")).toHaveLength(access.routes.length);
  });

  it("marks each cell allowed or denied as decided, with the reason when denied", () => {
    const cell = (client: string, column: number) => children(bodyRows.find((r) => attr(r, "data-client") === client)!, "td")[column]!;
    expect(attr(cell("reader", 1), "data-allowed")).toBe("true");
    expect(attr(cell("reader", 1), "class")).toBe("cell allow");
    expect(text(cell("reader", 1))).toBe("✓");
    expect(attr(cell("reader", 2), "data-allowed")).toBe("false");
    expect(text(cell("reader", 2))).toBe("✗needs write");
    expect(attr(cell("writer", 3), "title")).toBe("writer → POST /payments: missing payments.read, payments.write");
    expect(attr(cell("billing", 3), "data-allowed")).toBe("true");
    const allowedCells = bodyRows.flatMap((r) => children(r, "td")).filter((td) => attr(td, "data-allowed") === "true");
    expect(allowedCells).toHaveLength(5);
  });

  it("offers filters by client and by route, and sortable column headers", () => {
    expect(attr(byId(doc, "filter-client"), "type")).toBe("search");
    expect(attr(byId(doc, "filter-route"), "type")).toBe("search");
    const sortButtons = elements(headRow, "button").map((b) => attr(b, "data-col"));
    expect(sortButtons).toEqual(["0", "1", "2", "3", "4"]);
  });

  it("references nothing outside the page", () => {
    walk(doc, (n) => {
      for (const a of n.attrs ?? []) {
        if (["src", "href", "action", "srcset", "poster", "data"].includes(a.name)) throw new Error(`<${n.tagName} ${a.name}="${a.value}">`);
      }
    });
    for (const tag of ["link", "img", "iframe", "object", "embed", "base", "audio", "video"]) expect(elements(doc, tag)).toHaveLength(0);
    expect(html).not.toMatch(/@import|url\s*\(/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    for (const script of elements(doc, "script")) expect(text(script)).not.toMatch(/fetch\(|XMLHttpRequest|WebSocket|import\(/);
  });

  it("pins its inline style and script in a Content-Security-Policy that allows nothing else", () => {
    const meta = elements(doc, "meta").find((m) => attr(m, "http-equiv") === "Content-Security-Policy");
    const policy = attr(meta!, "content")!;
    const hash = (s: string) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`;
    const [style] = elements(doc, "style");
    const scripts = elements(doc, "script");
    expect(scripts).toHaveLength(1);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`style-src ${hash(text(style!))}`);
    expect(policy).toContain(`script-src ${hash(text(scripts[0]!))}`);
    expect(html).not.toMatch(/\sstyle="/); // inline style attributes would be blocked by the policy
  });

  it("is byte-identical for the same config", () => {
    expect(renderAccessHtml(accessOf(modelOf(), "dev"))).toBe(html);
  });
});

describe("access.html with hostile and cut-off clients", () => {
  const model = editedModel((c) => {
    clientNamed(c, "reader").description = `<script>alert("x")</script><img src="https://evil.example/x.png">`;
    clientNamed(c, "billing").disabled = true;
  });
  const doc = parsePage(renderAccessHtml(accessOf(model, "prod")));

  it("renders config text as text, never as markup", () => {
    expect(elements(doc, "script")).toHaveLength(1);
    expect(elements(doc, "img")).toHaveLength(0);
    const readerRow = elements(doc, "tr").find((r) => attr(r, "data-client") === "reader")!;
    expect(text(readerRow)).toContain(`<script>alert("x")</script>`);
  });

  it("shows a cut-off client with a badge and every cell denied for that reason", () => {
    const row = elements(doc, "tr").find((r) => attr(r, "data-client") === "billing")!;
    expect(attr(row, "class")).toBe("cut-off");
    expect(text(children(row, "th")[0]!)).toContain("cut off");
    for (const td of children(row, "td")) {
      expect(attr(td, "data-allowed")).toBe("false");
      expect(text(td)).toBe("✗client cut off");
    }
  });
});
