/**
 * The inline style and script of `access.html`. They are constants (not files) so the page stays
 * one self-contained file, and their SHA-256 goes into the page's Content-Security-Policy: the
 * page may run exactly this code and fetch nothing.
 */

export const ACCESS_PAGE_STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  --allow-bg: #dafbe1; --allow-fg: #116329; --deny-bg: #ffebe9; --deny-fg: #a40e26; --off-bg: #fff8c5; --off-fg: #7d4e00; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #fff; }
header, main, footer { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h1 .env { display: inline-block; padding: 1px 10px; border-radius: 999px; background: #0969da; color: #fff; font-size: 18px; vertical-align: 2px; }
h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.sub { margin: 0 0 10px; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff2f5; padding: 1px 4px; border-radius: 4px; word-break: break-all; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; margin: 0 0 10px; }
.controls label { font-weight: 600; }
.controls input { margin-left: 6px; padding: 5px 8px; width: 230px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.legend { color: var(--muted); }
.summary { color: var(--muted); margin: 0 0 10px; }
.scroll { display: inline-block; max-width: 100%; overflow: auto; max-height: 75vh; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: separate; border-spacing: 0; }
table.matrix th, table.matrix td { border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); }
table.matrix thead th { position: sticky; top: 0; z-index: 2; background: var(--head); vertical-align: bottom; text-align: left; padding: 8px 10px; min-width: 150px; }
table.matrix thead th.corner { left: 0; z-index: 3; min-width: 190px; }
table.matrix tbody th { position: sticky; left: 0; z-index: 1; background: #fff; text-align: left; padding: 8px 10px; font-weight: 600; white-space: nowrap; }
table.matrix tbody tr:hover th, table.matrix tbody tr:hover td { filter: brightness(0.96); }
button.sort { all: unset; cursor: pointer; display: block; font-weight: 600; }
button.sort:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; color: var(--muted); font-size: 10px; }
th[aria-sort="descending"] button.sort::after { content: " \\25BC"; color: var(--muted); font-size: 10px; }
.req { display: block; margin-top: 4px; font-weight: 400; color: var(--muted); font-size: 12px; }
.method { display: inline-block; min-width: 46px; text-align: center; padding: 0 5px; border-radius: 4px; font: 700 11px/18px ui-monospace, Menlo, Consolas, monospace; color: #fff; background: #6e7781; }
.m-get { background: #0969da; } .m-post { background: #1a7f37; } .m-put { background: #9a6700; } .m-patch { background: #8250df; } .m-delete { background: #cf222e; }
.path { font-family: ui-monospace, Menlo, Consolas, monospace; white-space: nowrap; }
table.matrix code { word-break: normal; white-space: nowrap; }
.kind { display: inline-block; padding: 0 6px; border-radius: 999px; font-size: 11px; font-weight: 600; border: 1px solid currentColor; }
.kind.any-of { color: #0550ae; } .kind.all-of { color: #8250df; }
td.cell { padding: 8px 10px; vertical-align: top; }
td.allow { background: var(--allow-bg); color: var(--allow-fg); }
td.deny { background: var(--deny-bg); color: var(--deny-fg); }
.mark { font-size: 17px; font-weight: 700; margin-right: 6px; }
.why { font-size: 12px; }
.why code { background: rgba(255,255,255,0.7); }
tr.cut-off th { background: var(--off-bg); }
.badge { display: inline-block; margin-left: 8px; padding: 0 7px; border-radius: 999px; font-size: 11px; font-weight: 600; background: var(--off-bg); color: var(--off-fg); border: 1px solid #d4a72c; }
.desc { display: block; font-weight: 400; color: var(--muted); font-size: 12px; white-space: normal; max-width: 260px; }
.note { color: var(--muted); max-width: 900px; }
table.list { width: 100%; border: 1px solid var(--line); border-radius: 8px; }
table.list th, table.list td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
table.list thead th { background: var(--head); }
table.list tbody tr:last-child td { border-bottom: 0; }
.status-off { color: var(--off-fg); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; padding: 24px; }
`;

export const ACCESS_PAGE_SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table) return;
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  var clientInput = document.getElementById("filter-client");
  var routeInput = document.getElementById("filter-route");
  var nothing = document.getElementById("no-match");
  var sorted = { col: -1, dir: 1 };

  function terms(input) {
    return input.value.toLowerCase().split(",").map(function (t) { return t.trim(); }).filter(Boolean);
  }
  function matches(text, wanted) {
    if (wanted.length === 0) return true;
    text = text.toLowerCase();
    return wanted.some(function (t) { return text.indexOf(t) >= 0; });
  }
  function filter() {
    var clients = terms(clientInput), routes = terms(routeInput);
    var rows = body.rows, shownRows = 0, shownCols = 0, i, col;
    for (i = 0; i < rows.length; i++) {
      rows[i].hidden = !matches(rows[i].getAttribute("data-client"), clients);
      if (!rows[i].hidden) shownRows++;
    }
    for (col = 1; col < heads.length; col++) {
      var hide = !matches(heads[col].getAttribute("data-route"), routes);
      heads[col].hidden = hide;
      if (!hide) shownCols++;
      for (i = 0; i < rows.length; i++) rows[i].cells[col].hidden = hide;
    }
    nothing.hidden = shownRows > 0 && shownCols > 0;
  }
  function sortKey(row, col) {
    if (col === 0) return row.getAttribute("data-client");
    return row.cells[col].getAttribute("data-allowed") === "true" ? "0" : "1";
  }
  function sortBy(col) {
    var dir = sorted.col === col ? -sorted.dir : 1;
    sorted = { col: col, dir: dir };
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var ka = sortKey(a, col), kb = sortKey(b, col);
      if (ka !== kb) return (ka < kb ? -1 : 1) * dir;
      var na = a.getAttribute("data-client"), nb = b.getAttribute("data-client");
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < heads.length; i++) heads[i].setAttribute("aria-sort", i === col ? (dir === 1 ? "ascending" : "descending") : "none");
  }
  Array.prototype.forEach.call(table.querySelectorAll("button.sort"), function (button) {
    button.addEventListener("click", function () { sortBy(Number(button.getAttribute("data-col"))); });
  });
  clientInput.addEventListener("input", filter);
  routeInput.addEventListener("input", filter);
  filter();
})();
`;
