/**
 * The facts about an environment a reviewer reads before the matrix: where tokens come from,
 * where the API lives, and what guards every route whoever the client (source IPs, WAF,
 * throttling, the scope checker's allow-list). Label/value pairs, rendered by each medium.
 */
import { listOf, type CodeFormatter } from "./access-wording";
import { REST_API_ID_PLACEHOLDER, type EnvironmentAccess } from "./environment-access";

export function environmentFacts(access: EnvironmentAccess, code: CodeFormatter): [label: string, value: string][] {
  const g = access.guards;
  const edge = access.edge;
  const facts: [string, string][] = [
    edge
      ? ["Base URL", `${code(access.invokeUrlTemplate)} on the custom domain (also the resource server identifier; the execute-api endpoint is disabled)`]
      : ["Invoke URL", `${code(access.invokeUrlTemplate)} (also the resource server identifier)`],
    ["Token endpoint", code(access.tokenEndpoint)],
    ...(edge ? [] : [[REST_API_ID_PLACEHOLDER, "the REST API id AWS assigns on the first apply (terraform output invoke_url)"] as [string, string]]),
    ["Kind", access.kind],
    ["Source IPs", g.allowedSourceIps.length === 0 ? "any" : `only ${listOf(g.allowedSourceIps, code)} (others get 403)`],
    ["WAF", g.wafRateLimitPer5Minutes === undefined ? "off" : `on: at most ${g.wafRateLimitPer5Minutes} requests per source IP per 5 minutes`],
    ["Throttling", `${g.throttling.rateLimit} requests/s, burst ${g.throttling.burstLimit} (stage default)`],
  ];
  if (edge) {
    facts.push(["Mutual TLS", edge.truststoreFiles === undefined ? "off" : `on: client certificates issued by the CAs in ${listOf(edge.truststoreFiles, code)}`]);
    const bindings = edge.boundClients.map((b) => `${code(b.client)} (${[b.subject && `subject ${code(b.subject)}`, b.sha256 && `SHA-256 ${code(b.sha256)}`].filter(Boolean).join(", ")})`);
    facts.push(["Certificate-bound clients", bindings.length === 0 ? "none" : `${bindings.join("; ")}: their tokens count only over a connection presenting that certificate`]);
    if (edge.routesRequiringBoundCertificate.length > 0) facts.push(["Bound clients only", listOf(edge.routesRequiringBoundCertificate, code)]);
  }
  if (access.routes.some((r) => r.authorizer === "scope-checker")) {
    const list = access.scopeCheckerAllowList;
    facts.push(["Scope checker allow-list", `${list.length === 0 ? "nobody" : listOf(list, code)} (other clients get 401 on scope-checker routes)`]);
  }
  return facts;
}
