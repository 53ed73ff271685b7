/** `access.md`: one environment's resource server, clients, routes and access matrix, as Markdown. */
import { authorizerText, backendText, decisionText, DISABLED_CLIENT_NOTE, listOf, requirementText, SCOPE_MATCH_NOTE, validityText } from "./access-wording";
import { cellOf, REST_API_ID_PLACEHOLDER, type EnvironmentAccess } from "./environment-access";
import { environmentFacts } from "./environment-facts";
import { mdCode, mdTable, mdText } from "./markdown-text";

const ALLOWED_MARK = "✅";
const DENIED_MARK = "❌";

function none(items: readonly string[], render: (items: readonly string[]) => string): string {
  return items.length === 0 ? "_none_" : render(items);
}

export function renderAccessMarkdown(access: EnvironmentAccess): string {
  const out: string[] = [];
  out.push(`# Access report: ${mdCode(access.environment)}`, "");
  out.push(`API ${mdCode(access.apiName)} in ${mdCode(access.region)}, stage ${mdCode(access.stageName)}, resource server ${mdText(access.resourceServerName)}.`, "");
  out.push(mdTable(["", ""], environmentFacts(access, mdCode).map(([label, value]) => [label === REST_API_ID_PLACEHOLDER ? mdCode(label) : label, value])), "");
  out.push("A token carries, and a route requires, full scope identifiers: the invoke URL, `/`, the scope name.", "");
  out.push(...accessSections(access, "##"));
  return out.join("\n");
}

/** The sections of one API's access (matrix, routes, clients, limits, scopes), under headings of the given level. */
export function accessSections(access: EnvironmentAccess, heading: string): string[] {
  const out: string[] = [];
  out.push(`${heading} Effective access`, "");
  out.push(`${ALLOWED_MARK} allowed, ${DENIED_MARK} denied (with the reason).`, "");
  out.push(
    mdTable(
      ["Client", ...access.routes.map((r) => mdCode(r.id))],
      access.clients.map((c) => [
        `**${mdText(c.name)}**${c.disabled ? " (cut off)" : ""}`,
        ...access.routes.map((r) => {
          const decision = cellOf(access, c.name, r.id)!.decision;
          return decision.allowed ? ALLOWED_MARK : `${DENIED_MARK} ${decisionText(decision, r.scopeMatch, mdCode)}`;
        }),
      ]),
    ),
    "",
  );
  out.push(mdText(SCOPE_MATCH_NOTE), "");
  if (access.clients.some((c) => c.disabled)) out.push(mdText(DISABLED_CLIENT_NOTE), "");

  out.push(`${heading} Routes`, "");
  out.push(
    mdTable(
      ["Route", "Authorizer", "Requires", "Backend", "Allowed clients", "Description"],
      access.routes.map((r) => [
        mdCode(r.id),
        authorizerText(r.authorizer),
        requirementText(r.scopeMatch, r.scopes, mdCode),
        backendText(r.backend, r.response, mdCode),
        none(r.allowedClients, (c) => listOf(c, mdCode)),
        mdText(r.description ?? ""),
      ]),
    ),
    "",
  );

  out.push(`${heading} Clients`, "");
  out.push(
    mdTable(
      ["Client", "Status", "Scopes", "Access token validity", "May call", "Description"],
      access.clients.map((c) => [
        `**${mdText(c.name)}**`,
        c.disabled ? "cut off (disabled)" : "enabled",
        listOf(c.scopes, mdCode),
        validityText(c.accessTokenValidity),
        none(c.allowedRoutes, (r) => listOf(r, mdCode)),
        mdText(c.description ?? ""),
      ]),
    ),
    "",
  );

  const planned = access.clients.filter((c) => c.usagePlan !== undefined);
  if (planned.length > 0) {
    out.push(`${heading} Rate limits and quotas`, "");
    out.push(
      mdText(
        "API Gateway counts these clients' calls by usage plan on every metered route (the routes a limited client can call, all through the scope checker, which names the client's usage key); above its rate or quota a client gets 429. Callers of metered routes without limits of their own are in the unmetered plan: the stage's throttling only.",
      ),
      "",
    );
    out.push(
      mdTable(
        ["Client", "Usage plan", "Limits", "Metered routes it may call"],
        planned.map((c) => [
          `**${mdText(c.name)}**`,
          mdCode(c.usagePlan!.plan),
          mdText(c.usagePlan!.summary),
          none(c.allowedRoutes.filter((r) => access.routes.some((route) => route.id === r && route.metered)), (r) => listOf(r, mdCode)),
        ]),
      ),
      "",
    );
  }

  out.push(`${heading} Scopes`, "");
  out.push(
    mdTable(
      ["Scope", "Description", "Granted to", "Full identifier"],
      access.scopes.map((s) => [mdCode(s.name), mdText(s.description), none(s.grantedTo, (c) => listOf(c, mdCode)), mdCode(s.identifier)]),
    ),
    "",
  );
  return out;
}
