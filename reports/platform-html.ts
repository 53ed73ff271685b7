/**
 * The central view (`access.html` of the several-API form): every environment, every API with
 * its owners, scopes and routes, and every client with what it may call across APIs, on one
 * read-only page with a search box and filters by API, client and environment. Self-contained
 * like the one-API page: inline style and script pinned by a Content-Security-Policy, nothing
 * fetched. The tables read without JavaScript; the script only hides rows.
 */
import { createHash } from "node:crypto";
import { authorizerText, backendText, countOf, DISABLED_CLIENT_NOTE, requirementText, SCOPE_MATCH_NOTE, validityText } from "./access-wording";
import { REST_API_ID_PLACEHOLDER, type PlatformAccess } from "./environment-access";
import { esc, htmlCode } from "./html-text";
import { PLATFORM_PAGE_SCRIPT, PLATFORM_PAGE_STYLE } from "./platform-html-assets";

function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

function codes(items: readonly string[]): string {
  return items.length === 0 ? `<span class="empty">none</span>` : items.map(htmlCode).join(" ");
}

/** Lists longer than this fold into a <details> (still searched: the filter reads the row's whole text). */
const FOLD_AFTER = 8;

/**
 * A list of names; a long one folded, so a 1,000-client page lays out tens of thousands of
 * names only when a reader opens them (the page stays quick to open and to filter).
 */
function names(items: readonly string[], noun: string): string {
  if (items.length <= FOLD_AFTER) return codes(items);
  return `<details><summary>${esc(countOf(items.length, noun))}</summary>${codes(items)}</details>`;
}

interface Row {
  /** Absent: the row holds in every environment. */
  readonly env?: string;
  readonly apis: readonly string[];
  readonly clients: readonly string[];
  readonly cells: readonly string[];
}

function filteredTable(id: string, headers: readonly string[], rows: readonly Row[]): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows
    .map((r) => {
      const env = r.env === undefined ? "" : ` data-env="${esc(r.env)}"`;
      return `<tr${env} data-apis="${esc(JSON.stringify(r.apis))}" data-clients="${esc(JSON.stringify(r.clients))}">${r.cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table id="${id}" class="list filtered"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function options(label: string, values: readonly string[]): string {
  return [`<option value="">${esc(label)}</option>`, ...values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)].join("");
}

function section(id: string, title: string, table: string, note = ""): string {
  return `<section id="${id}">\n<h2>${esc(title)} <span class="count" id="${id}-table-count"></span></h2>\n${table}${note}\n</section>`;
}

/** The page for every environment of a several-API model, in config order. Deterministic. */
export function renderPlatformHtml(platforms: readonly PlatformAccess[]): string {
  const first = platforms[0]!;
  const apiNames = first.apis.map((a) => a.apiName);
  const clientNames = [...new Set(platforms.flatMap((p) => p.clients.map((c) => c.name)))];
  const csp = `default-src 'none'; style-src ${cspHash(PLATFORM_PAGE_STYLE)}; script-src ${cspHash(PLATFORM_PAGE_SCRIPT)}; base-uri 'none'; form-action 'none'`;

  // The APIs are the same in every environment; who holds their scopes may differ (overrides).
  const apis = filteredTable(
    "apis-table",
    ["API", "Resource server", "Owners", "Defined in", "Scopes", "Routes"],
    first.apis.map((api) => ({
      apis: [api.apiName],
      clients: [...new Set(platforms.flatMap((p) => p.apis.find((a) => a.apiName === api.apiName)!.clients.map((c) => c.name)))],
      cells: [
        `<strong>${esc(api.apiName)}</strong>`,
        esc(api.resourceServerName),
        `<span class="owners">${codes(api.owners ?? [])}</span>`,
        api.sourceFile === undefined ? "main config" : htmlCode(api.sourceFile),
        codes(api.scopes.map((s) => s.name)),
        esc(countOf(api.routes.length, "route")),
      ],
    })),
  );
  const routes = filteredTable(
    "routes-table",
    ["Environment", "API", "Route", "Authorizer", "Requires", "Backend", "Allowed clients", "Description"],
    platforms.flatMap((p) =>
      p.apis.flatMap((api) =>
        api.routes.map((r) => ({
          env: p.environment,
          apis: [api.apiName],
          clients: r.allowedClients,
          cells: [
            htmlCode(p.environment),
            htmlCode(api.apiName),
            `<span class="method m-${esc(r.method.toLowerCase())}">${esc(r.method)}</span> <span class="path">${esc(r.path)}</span>`,
            esc(authorizerText(r.authorizer)),
            requirementText(r.scopeMatch, r.scopes, htmlCode),
            backendText(r.backend, r.response, htmlCode),
            names(r.allowedClients, "client"),
            esc(r.description ?? ""),
          ],
        })),
      ),
    ),
  );
  const clients = filteredTable(
    "clients-table",
    ["Environment", "Client", "Sponsor", "Status", "Grants", "Access token validity", "Limits", "May call", "Description"],
    platforms.flatMap((p) =>
      p.clients.map((c) => ({
        env: p.environment,
        apis: c.apis,
        clients: [c.name],
        cells: [
          htmlCode(p.environment),
          `<strong>${esc(c.name)}</strong>`,
          c.sponsor === undefined ? "main config" : htmlCode(c.sponsor),
          c.disabled ? `<span class="status-off">cut off (disabled)</span>` : "enabled",
          codes(c.grants),
          esc(validityText(c.accessTokenValidity)),
          c.usagePlan === undefined ? "unlimited (stage throttling)" : `${esc(c.usagePlan.summary)} ${htmlCode(c.usagePlan.plan)}`,
          names(c.mayCall, "route"),
          esc(c.description ?? ""),
        ],
      })),
    ),
  );
  const scopes = filteredTable(
    "scopes-table",
    ["Environment", "API", "Scope", "Description", "Granted to", "Full identifier"],
    platforms.flatMap((p) =>
      p.apis.flatMap((api) =>
        api.scopes.map((s) => ({
          env: p.environment,
          apis: [api.apiName],
          clients: s.grantedTo,
          cells: [htmlCode(p.environment), htmlCode(api.apiName), htmlCode(s.name), esc(s.description), names(s.grantedTo, "client"), htmlCode(s.identifier)],
        })),
      ),
    ),
  );
  const environments = platforms.map(
    (p) =>
      `<dt>${esc(p.environment)}</dt><dd>${esc(p.kind)} · region ${htmlCode(p.region)} · stage ${htmlCode(p.stageName)} · token endpoint ${htmlCode(p.tokenEndpoint)}</dd>`,
  );
  const disabledNote = platforms.some((p) => p.clients.some((c) => c.disabled)) ? `\n<p class="note">${esc(DISABLED_CLIENT_NOTE)}</p>` : "";

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<title>Access: ${esc(first.name)}</title>
<style>${PLATFORM_PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Access <span class="env">${esc(first.name)}</span></h1>
<p class="sub">${esc(countOf(apiNames.length, "API"))} · ${esc(countOf(clientNames.length, "client"))} · one authorization server (user pool) per environment · main config owned by <span class="owners">${codes(first.owners)}</span></p>
<dl class="facts">
${environments.join("\n")}
</dl>
</header>
<main>
<div class="controls">
<label>Search <input type="search" id="search" placeholder="e.g. payments, POST, finance" autocomplete="off"></label>
<label>API <select id="filter-api">${options("every API", apiNames)}</select></label>
<label>Client <select id="filter-client">${options("every client", clientNames)}</select></label>
<label>Environment <select id="filter-env">${options("every environment", platforms.map((p) => p.environment))}</select></label>
</div>
<p id="no-match" class="empty" hidden>Nothing matches the search and filters.</p>
${section("apis", "APIs", apis)}
${section("routes", "Routes", routes, `\n<p class="note">${esc(SCOPE_MATCH_NOTE)}</p>`)}
${section("clients", "Clients across APIs", clients, disabledNote)}
${section("scopes", "Scopes", scopes, `\n<p class="note">${esc(`In a full identifier, ${REST_API_ID_PLACEHOLDER} is that API's own REST API id (AWS assigns it on the first apply): two APIs' scopes of the same name are different scopes.`)}</p>`)}
</main>
<footer>Written by <code>npm run report</code> from the config; read-only. The decisions are those of model/access.ts, which the deployed authorizers and the local environment also use. Each environment's matrix per API: <code>&lt;env&gt;/access.md</code>.</footer>
<script>${PLATFORM_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
