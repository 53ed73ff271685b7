/**
 * `access.html`: one environment's access as one self-contained page. The matrix (a row per
 * client, a column per route) reads without JavaScript; the inline script adds filtering and
 * sorting. A Content-Security-Policy with the hashes of the inline style and script keeps the
 * page from loading or running anything else.
 */
import { createHash } from "node:crypto";
import { ACCESS_PAGE_SCRIPT, ACCESS_PAGE_STYLE } from "./access-html-assets";
import { authorizerText, backendText, countOf, decisionText, DISABLED_CLIENT_NOTE, plain, requirementText, SCOPE_MATCH_NOTE, validityText } from "./access-wording";
import { cellOf, type ClientAccess, type EnvironmentAccess, type RouteAccess } from "./environment-access";
import { environmentFacts } from "./environment-facts";
import { esc, htmlCode } from "./html-text";

function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

function codes(items: readonly string[]): string {
  return items.length === 0 ? `<span class="empty">none</span>` : items.map(htmlCode).join(" ");
}

function methodBadge(method: string): string {
  return `<span class="method m-${esc(method.toLowerCase())}">${esc(method)}</span>`;
}

function routeLabel(route: RouteAccess): string {
  return `${methodBadge(route.method)} <span class="path">${esc(route.path)}</span>`;
}

function requirement(route: RouteAccess): string {
  return `<span class="kind ${route.scopeMatch}">${route.scopeMatch}</span> ${codes(route.scopes)}`;
}

function matrixHead(access: EnvironmentAccess): string {
  const routes = access.routes.map(
    (r, i) =>
      `<th scope="col" class="route" data-route="${esc(r.id)}" aria-sort="none">` +
      `<button type="button" class="sort" data-col="${i + 1}" title="Sort clients: allowed first">${routeLabel(r)}</button>` +
      `<span class="req">${requirement(r)}</span></th>`,
  );
  return `<thead><tr><th scope="col" class="corner" aria-sort="none"><button type="button" class="sort" data-col="0" title="Sort by client name">Client</button></th>${routes.join("")}</tr></thead>`;
}

function matrixRow(access: EnvironmentAccess, client: ClientAccess): string {
  const cells = access.routes.map((r) => {
    const decision = cellOf(access, client.name, r.id)!.decision;
    const why = decisionText(decision, r.scopeMatch, plain);
    const title = `${client.name} → ${r.id}: ${why}`;
    return decision.allowed
      ? `<td class="cell allow" data-allowed="true" title="${esc(title)}"><span class="mark" aria-label="allowed">✓</span></td>`
      : `<td class="cell deny" data-allowed="false" title="${esc(title)}"><span class="mark" aria-label="denied">✗</span>` +
          `<span class="why">${decisionText(decision, r.scopeMatch, htmlCode)}</span></td>`;
  });
  const badge = client.disabled ? `<span class="badge">cut off</span>` : "";
  const description = client.description ? `<span class="desc">${esc(client.description)}</span>` : "";
  return (
    `<tr data-client="${esc(client.name)}"${client.disabled ? ` class="cut-off"` : ""}>` +
    `<th scope="row">${esc(client.name)}${badge}${description}</th>${cells.join("")}</tr>`
  );
}

function listTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join("");
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n");
  return `<table class="list"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function renderAccessHtml(access: EnvironmentAccess): string {
  const allowedCount = access.matrix.filter((c) => c.decision.allowed).length;
  const csp = `default-src 'none'; style-src ${cspHash(ACCESS_PAGE_STYLE)}; script-src ${cspHash(ACCESS_PAGE_SCRIPT)}; base-uri 'none'; form-action 'none'`;
  const disabledNote = access.clients.some((c) => c.disabled) ? `\n<p class="note">${esc(DISABLED_CLIENT_NOTE)}</p>` : "";

  const routes = listTable(
    ["Route", "Authorizer", "Requires", "Backend", "Allowed clients", "Description"],
    access.routes.map((r) => [
      routeLabel(r),
      esc(authorizerText(r.authorizer)),
      requirementText(r.scopeMatch, r.scopes, htmlCode),
      backendText(r.backend, r.response, htmlCode),
      codes(r.allowedClients),
      esc(r.description ?? ""),
    ]),
  );
  const clients = listTable(
    ["Client", "Status", "Scopes", "Access token validity", "May call", "Description"],
    access.clients.map((c) => [
      `<strong>${esc(c.name)}</strong>`,
      c.disabled ? `<span class="status-off">cut off (disabled)</span>` : "enabled",
      codes(c.scopes),
      esc(validityText(c.accessTokenValidity)),
      codes(c.allowedRoutes),
      esc(c.description ?? ""),
    ]),
  );
  const planned = access.clients.filter((c) => c.usagePlan !== undefined);
  const meteredIds = new Set(access.routes.filter((r) => r.metered).map((r) => r.id));
  const limits =
    planned.length === 0
      ? ""
      : `
<section id="limits">
<h2>Rate limits and quotas</h2>
<p class="note">${esc("API Gateway counts these clients' calls by usage plan on every metered route (the routes a limited client can call, all through the scope checker, which names the client's usage key); above its rate or quota a client gets 429. Callers of metered routes without limits of their own are in the unmetered plan: the stage's throttling only.")}</p>
${listTable(
  ["Client", "Usage plan", "Limits", "Metered routes it may call"],
  planned.map((c) => [`<strong>${esc(c.name)}</strong>`, htmlCode(c.usagePlan!.plan), esc(c.usagePlan!.summary), codes(c.allowedRoutes.filter((r) => meteredIds.has(r)))]),
)}
</section>`;
  const scopes = listTable(
    ["Scope", "Description", "Granted to", "Full identifier"],
    access.scopes.map((s) => [htmlCode(s.name), esc(s.description), codes(s.grantedTo), htmlCode(s.identifier)]),
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<title>Access: ${esc(access.environment)} · ${esc(access.apiName)}</title>
<style>${ACCESS_PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Access report <span class="env">${esc(access.environment)}</span></h1>
<p class="sub">${esc(access.kind)} · API ${htmlCode(access.apiName)} · region ${htmlCode(access.region)} · stage ${htmlCode(access.stageName)} · resource server ${esc(access.resourceServerName)}</p>
<dl class="facts">
${environmentFacts(access, htmlCode).map(([label, value]) => `<dt>${esc(label)}</dt><dd>${value}</dd>`).join("\n")}
</dl>
</header>
<main>
<section id="access">
<h2>Effective access</h2>
<p class="summary">${countOf(access.clients.length, "client")} × ${countOf(access.routes.length, "route")}: ${allowedCount} of ${countOf(access.matrix.length, "combination")} allowed.</p>
<div class="controls">
<label>Client <input type="search" id="filter-client" placeholder="e.g. billing, reader" autocomplete="off"></label>
<label>Route <input type="search" id="filter-route" placeholder="e.g. POST, /premium" autocomplete="off"></label>
<span class="legend"><span class="mark">✓</span>allowed · <span class="mark">✗</span>denied, with the reason · click a column header to sort</span>
</div>
<div class="scroll">
<table id="matrix" class="matrix">
${matrixHead(access)}
<tbody>
${access.clients.map((c) => matrixRow(access, c)).join("\n")}
</tbody>
</table>
</div>
<p id="no-match" class="empty" hidden>No client or route matches the filter.</p>
<p class="note">${esc(SCOPE_MATCH_NOTE)}</p>${disabledNote}
</section>
<section id="routes">
<h2>Routes</h2>
${routes}
</section>
<section id="clients">
<h2>Clients</h2>
${clients}
</section>${limits}
<section id="scopes">
<h2>Scopes</h2>
${scopes}
</section>
</main>
<footer>Written by <code>npm run report</code> from <code>m2m.config.ts</code>; the decisions are those of model/access.ts, which the deployed authorizers and the local environment also use.</footer>
<script>${ACCESS_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
