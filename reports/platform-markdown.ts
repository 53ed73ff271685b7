/**
 * `access.md` of the several-API form: one environment's authorization server, every client and
 * what it may call across APIs, then one section per API (its resource server, owners, file,
 * and the same matrix, routes, clients and scopes as the one-API report shows).
 */
import { countOf, listOf, validityText } from "./access-wording";
import { accessSections } from "./access-markdown";
import { REST_API_ID_PLACEHOLDER, type EnvironmentAccess, type PlatformAccess } from "./environment-access";
import { mdCode, mdTable, mdText } from "./markdown-text";

function none(items: readonly string[], render: (items: readonly string[]) => string): string {
  return items.length === 0 ? "_none_" : render(items);
}

function guardFacts(platform: PlatformAccess): [string, string][] {
  const g = platform.guards;
  return [
    ["Token endpoint", `${mdCode(platform.tokenEndpoint)} (one user pool for every API)`],
    ["Kind", platform.kind],
    ["Owners (main config)", none(platform.owners, (o) => listOf(o, mdCode))],
    ["Source IPs", g.allowedSourceIps.length === 0 ? "any" : `only ${listOf(g.allowedSourceIps, mdCode)} (others get 403)`],
    ["WAF", g.wafRateLimitPer5Minutes === undefined ? "off" : `on: at most ${g.wafRateLimitPer5Minutes} requests per source IP per 5 minutes`],
    ["Throttling", `${g.throttling.rateLimit} requests/s, burst ${g.throttling.burstLimit} (each API's stage default)`],
  ];
}

function apiFacts(api: EnvironmentAccess): [string, string][] {
  const facts: [string, string][] = [
    ["Owners", none(api.owners ?? [], (o) => listOf(o, mdCode))],
    ["Defined in", api.sourceFile === undefined ? "the main config" : mdCode(api.sourceFile)],
    api.edge
      ? ["Base URL", `${mdCode(api.invokeUrlTemplate)} on the custom domain (also its resource server identifier)`]
      : ["Invoke URL", `${mdCode(api.invokeUrlTemplate)} (also its resource server identifier; ${mdCode(REST_API_ID_PLACEHOLDER)} is this API's REST API id)`],
  ];
  if (api.edge) {
    facts.push(["Mutual TLS", api.edge.truststoreFiles === undefined ? "off" : `on (${listOf(api.edge.truststoreFiles, mdCode)})`]);
    facts.push(["Certificate-bound clients", none(api.edge.boundClients.map((b) => b.client), (c) => listOf(c, mdCode))]);
    if (api.edge.routesRequiringBoundCertificate.length > 0) facts.push(["Bound clients only", listOf(api.edge.routesRequiringBoundCertificate, mdCode)]);
  }
  if (api.routes.some((r) => r.authorizer === "scope-checker")) {
    const list = api.scopeCheckerAllowList;
    facts.push(["Scope checker allow-list", `${list.length === 0 ? "nobody" : listOf(list, mdCode)} (other clients get 401 on its scope-checker routes)`]);
  }
  return facts;
}

export function renderPlatformMarkdown(platform: PlatformAccess): string {
  const out: string[] = [];
  out.push(`# Access report: ${mdCode(platform.environment)}`, "");
  out.push(
    `Authorization server ${mdCode(platform.name)} in ${mdCode(platform.region)}, stage ${mdCode(platform.stageName)}: ` +
      `${countOf(platform.apis.length, "API")} (${listOf(platform.apis.map((a) => a.apiName), mdCode)}), ${countOf(platform.clients.length, "client")}.`,
    "",
  );
  out.push(mdTable(["", ""], guardFacts(platform)), "");
  out.push("A token carries scopes of several APIs; each API's authorizers accept only their own (its invoke URL, `/`, the scope name).", "");

  out.push("## Clients across APIs", "");
  out.push(
    mdTable(
      ["Client", "Sponsor", "Status", "Grants", "Access token validity", "May call", "Description"],
      platform.clients.map((c) => [
        `**${mdText(c.name)}**`,
        c.sponsor === undefined ? "main config" : mdCode(c.sponsor),
        c.disabled ? "cut off (disabled)" : "enabled",
        none(c.grants, (g) => listOf(g, mdCode)),
        validityText(c.accessTokenValidity),
        none(c.mayCall, (r) => listOf(r, mdCode)),
        mdText(c.description ?? ""),
      ]),
    ),
    "",
  );

  for (const api of platform.apis) {
    out.push(`## API ${mdCode(api.apiName)}: ${mdText(api.resourceServerName)}`, "");
    out.push(mdTable(["", ""], apiFacts(api)), "");
    out.push(...accessSections(api, "###"));
  }
  return out.join("\n");
}
