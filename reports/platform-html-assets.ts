/**
 * The inline style and script of the central view (the several-API form's `access.html`).
 * Constants, so the page stays one self-contained file whose Content-Security-Policy pins
 * their SHA-256: the page runs exactly this code and fetches nothing.
 *
 * Every filterable row carries `data-env` (absent: every environment), `data-apis` and
 * `data-clients` (JSON arrays of names: the APIs and clients the row concerns). The script
 * reads them once, then each change of the search box or a filter shows the rows that match
 * ALL of: the environment, the API, the client, and every word of the search (in the row's text).
 */
import { ACCESS_PAGE_STYLE } from "./access-html-assets";

export const PLATFORM_PAGE_STYLE = `${ACCESS_PAGE_STYLE}
.controls select { margin-left: 6px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; max-width: 260px; }
.count { color: var(--muted); font-weight: 400; font-size: 13px; }
td.env code, td.api code { white-space: nowrap; }
.owners code { background: #ddf4ff; }
table.filtered code { white-space: nowrap; word-break: normal; }
#scopes-table td:last-child code { white-space: normal; word-break: break-all; }
details summary { cursor: pointer; color: #0969da; }
details[open] summary { margin-bottom: 4px; }
`;

export const PLATFORM_PAGE_SCRIPT = `
(function () {
  "use strict";
  var search = document.getElementById("search");
  var apiSelect = document.getElementById("filter-api");
  var clientSelect = document.getElementById("filter-client");
  var envSelect = document.getElementById("filter-env");
  var nothing = document.getElementById("no-match");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table.filtered"));
  var rows = [];
  tables.forEach(function (table) {
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      rows.push({
        row: row,
        table: table,
        env: row.getAttribute("data-env"),
        apis: JSON.parse(row.getAttribute("data-apis") || "[]"),
        clients: JSON.parse(row.getAttribute("data-clients") || "[]"),
        text: row.textContent.toLowerCase()
      });
    });
  });
  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var api = apiSelect.value, client = clientSelect.value, env = envSelect.value;
    var shown = new Map(), total = 0;
    tables.forEach(function (t) { shown.set(t, 0); });
    rows.forEach(function (r) {
      var visible = (env === "" || r.env === null || r.env === env) &&
        (api === "" || r.apis.indexOf(api) >= 0) &&
        (client === "" || r.clients.indexOf(client) >= 0) &&
        words.every(function (w) { return r.text.indexOf(w) >= 0; });
      r.row.hidden = !visible;
      if (visible) { shown.set(r.table, shown.get(r.table) + 1); total++; }
    });
    tables.forEach(function (t) {
      var count = document.getElementById(t.id + "-count");
      if (count) count.textContent = "(" + shown.get(t) + " of " + t.tBodies[0].rows.length + " shown)";
    });
    nothing.hidden = total > 0;
  }
  [search, apiSelect, clientSelect, envSelect].forEach(function (control) {
    control.addEventListener("input", filter);
    control.addEventListener("change", filter);
  });
  filter();
})();
`;
