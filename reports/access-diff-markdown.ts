/**
 * `access-diff.md`: the access diff as a pull-request comment. Effective access first (what a
 * reviewer must approve: who gains or loses which route), then the config changes behind it.
 * Environments whose changes read the same are shown once, together.
 */
import { backendShortText, decisionText, DISABLED_CLIENT_NOTE, listOf, plain, requirementText, validityText } from "./access-wording";
import type { AccessDiff, ClientAccessDiff, ClientDiff, EndpointChange, EnvironmentDiff, LossCause, RouteDiff } from "./access-diff";
import { reviewersOf, type ApiDiff, type ClientTeam, type GrantChange } from "./access-diff-apis";
import type { BackendSummary } from "./environment-access";
import { mdCode, mdText } from "./markdown-text";
import type { AuthorizerKind } from "../model/config-types";
import { scopeMatchOf } from "../model/access";

const ENDPOINT_LABELS: Readonly<Record<EndpointChange, string>> = {
  "token endpoint": "Token endpoint",
  "invoke URL": "Invoke URL (and every scope identifier)",
  "mutual TLS": "Mutual TLS",
  "certificate bindings": "Certificate-bound clients",
};

/** First line of the comment: CI finds the comment it posted before by it and updates it. */
export const ACCESS_DIFF_MARKER = "<!-- cognito-m2m-access-diff -->";

/** The hidden line that binds a review comment to the commit it reviewed (the comment job compares it with the head). */
export function headShaMarker(sha: string): string {
  return `<!-- cognito-m2m-head-sha: ${sha} -->`;
}

export interface DiffLabels {
  /** The base, e.g. the git ref `origin/main`. */
  readonly base: string;
  /** The compared state, e.g. "working tree". */
  readonly head: string;
}

function lossText(cause: LossCause): string {
  switch (cause.kind) {
    case "client-removed":
      return "client removed";
    case "route-removed":
      return "route removed";
    case "denied":
      return decisionText(cause.decision, cause.match, plain);
  }
}

/** A ```diff block: GitHub colours `+` lines green and `-` lines red. */
function accessBlock(access: readonly ClientAccessDiff[], clientDiffs: readonly ClientDiff[]): string[] {
  const width = Math.max(0, ...access.flatMap((a) => a.lost.map((l) => l.route.length)));
  const lines: string[] = [];
  const clients = new Map(clientDiffs.map((c) => [c.name, c]));
  for (const a of access) {
    const client = clients.get(a.client);
    const note = client?.kind === "added" ? " (new client)" : client?.kind === "removed" ? " (removed)" : client?.kind === "changed" && client.disabled?.after ? " (cut off)" : "";
    lines.push(`${a.client}${note}:`);
    for (const r of a.gained) lines.push(`+ ${r}`);
    for (const l of a.lost) lines.push(`- ${l.route.padEnd(width)}  ${lossText(l.cause)}`);
  }
  return ["```diff", ...lines, "```"];
}

function authorizerWithMatch(authorizer: AuthorizerKind): string {
  return `${authorizer === "scope-checker" ? "scope checker" : "Cognito"} (${scopeMatchOf(authorizer)})`;
}

function sourceIpsText(ips: readonly string[]): string {
  return ips.length === 0 ? "any" : `only ${listOf(ips, mdCode)}`;
}

function clientLine(c: ClientDiff): string {
  const name = `Client ${mdCode(c.name)}`;
  if (c.kind === "added") {
    const status = c.client.disabled ? ", cut off (disabled)" : "";
    const limits = c.client.usagePlan ? `; rate limits and quota ${mdText(c.client.usagePlan.summary)} (usage plan ${mdCode(c.client.usagePlan.plan)})` : "";
    const sponsor = c.client.sponsor === undefined ? "" : ` (sponsored by ${mdCode(c.client.sponsor)})`;
    return `${name}${sponsor} **added**: scopes ${listOf(c.client.scopes, mdCode)}; access token ${validityText(c.client.accessTokenValidity)}${limits}${status}`;
  }
  if (c.kind === "removed") return `${name} **removed** (had scopes ${listOf(c.client.scopes, mdCode)})`;
  const parts: string[] = [];
  if (c.disabled) parts.push(c.disabled.after ? "**cut off** (disabled)" : "**re-enabled**");
  if (c.scopesAdded.length > 0) parts.push(`scope grant **added** ${listOf(c.scopesAdded, mdCode)}`);
  if (c.scopesRemoved.length > 0) parts.push(`scope grant **removed** ${listOf(c.scopesRemoved, mdCode)}`);
  if (c.accessTokenValidity) {
    parts.push(`access token validity ${validityText(c.accessTokenValidity.before)} → ${validityText(c.accessTokenValidity.after)}`);
  }
  if (c.limits) {
    const text = (v: string | undefined) => (v === undefined ? "none (no usage plan)" : mdText(v));
    parts.push(`**rate limits and quota** ${text(c.limits.before)} → ${text(c.limits.after)}`);
  }
  return `${name}: ${parts.join("; ")}`;
}

/** A backend in a change line: the short form, plus the settings when only they changed. */
function backendText(backend: BackendSummary): string {
  const short = backendShortText(backend, mdCode);
  if (backend.type === "lambda") return `${short} (${backend.memoryMb} MB, ${backend.timeoutSeconds} s)`;
  if (backend.type === "http") return `${short} (timeout ${backend.timeoutMs} ms)`;
  return short;
}

function routeLine(r: RouteDiff): string {
  const name = `Route ${mdCode(r.id)}`;
  if (r.kind === "added") {
    return `${name} **added**: requires ${requirementText(r.route.scopeMatch, r.route.scopes, mdCode)} via ${authorizerWithMatch(r.route.authorizer)}; served by ${backendShortText(r.route.backend ?? { type: "mock" }, mdCode)}`;
  }
  if (r.kind === "removed") return `${name} **removed**`;
  const parts: string[] = [];
  if (r.authorizer) parts.push(`authorizer ${authorizerWithMatch(r.authorizer.before)} → **${authorizerWithMatch(r.authorizer.after)}**`);
  if (r.scopes) parts.push(`scopes ${listOf(r.scopes.before, mdCode)} → ${listOf(r.scopes.after, mdCode)}`);
  if (r.backend) parts.push(`backend ${backendText(r.backend.before)} → **${backendText(r.backend.after)}**`);
  return `${name}: ${parts.join("; ")}`;
}

function ownersText(owners: readonly string[]): string {
  return owners.length === 0 ? "no owners" : listOf(owners, mdCode);
}

function teamText(team: ClientTeam): string {
  return `${team.api === undefined ? "belongs to the main config" : `is sponsored by ${mdCode(team.api)}`} (owners ${ownersText(team.owners)})`;
}

function grantLine(api: ApiDiff, g: GrantChange): string {
  const parts: string[] = [];
  if (g.added.length > 0) parts.push(`scope grant **added** ${listOf(g.added, mdCode)}`);
  if (g.removed.length > 0) parts.push(`scope grant **removed** ${listOf(g.removed, mdCode)}`);
  const status = g.clientStatus === "added" ? " (new client)" : g.clientStatus === "removed" ? " (client removed)" : "";
  const line = `Client ${mdCode(g.client)}${status}: ${parts.join("; ")}`;
  if (!g.crossTeam) return line;
  return `**Cross-team grant**: ${line}. The client ${teamText(g.crossTeam.clientTeam)}; the API ${mdCode(api.api)} is owned by ${ownersText(api.owners)}: both teams approve`;
}

function apiBody(api: ApiDiff, clients: readonly ClientDiff[]): string[] {
  const out: string[] = [];
  const where = api.sourceFile === undefined ? "the main config" : mdCode(api.sourceFile);
  const status = api.status === "added" ? " **added**" : api.status === "removed" ? " **removed**" : "";
  out.push(`#### API ${mdCode(api.api)}${status}: ask ${ownersText(api.owners)}`, "", `Defined in ${where}.`, "");
  if (api.status === "removed") out.push("Its REST API, resource server and scopes are deleted; its clients lose every route of it.", "");
  if (api.access.length > 0) out.push("**Effective access**", "", ...accessBlock(api.access, clients), "");
  else out.push("Effective access: unchanged.", "");
  const changes = [
    ...(api.invokeUrl ? [`Invoke URL (and every scope identifier of this API): ${mdCode(api.invokeUrl.before)} → ${mdCode(api.invokeUrl.after)}`] : []),
    ...(api.resourceServerName ? [`Resource server name: ${mdText(api.resourceServerName.before)} → ${mdText(api.resourceServerName.after)}`] : []),
    ...api.scopesDefined.map((s) => `Scope ${mdCode(s)} **defined** on the resource server`),
    ...api.scopesDeleted.map((s) => `Scope ${mdCode(s)} **deleted** from the resource server`),
    ...api.grants.map((g) => grantLine(api, g)),
    ...api.routes.map(routeLine),
  ];
  if (changes.length > 0) out.push("**Config changes**", "", ...changes.map((c) => `- ${c}`), "");
  return out;
}

/** The several-API form: shared changes first, then one group per API that changed, then the clients' own changes. */
function apisEnvironmentBody(env: EnvironmentDiff): string {
  const out: string[] = [];
  if (env.status === "added") out.push("New environment: everything below is created.", "");
  if (env.status === "removed") out.push("Environment removed from the config: its clients lose all access.", "");
  const shared = [
    ...env.endpoints.map((e) => `${e.what === "token endpoint" ? "Token endpoint (every API's)" : ENDPOINT_LABELS[e.what]}: ${mdCode(e.before)} → ${mdCode(e.after)}`),
    ...(env.sourceIps ? [`Allowed source IPs: ${sourceIpsText(env.sourceIps.before)} → **${sourceIpsText(env.sourceIps.after)}** (other sources get 403 on every route of every API)`] : []),
  ];
  if (shared.length > 0) out.push(...shared.map((c) => `- ${c}`), "");
  for (const api of env.apis ?? []) out.push(...apiBody(api, env.clients));
  if (env.clients.length > 0) out.push("#### Clients", "", ...env.clients.map((c) => `- ${clientLine(c)}`), "");
  return out.join("\n");
}

function environmentBody(env: EnvironmentDiff): string {
  if (env.apis !== undefined) return apisEnvironmentBody(env);
  const out: string[] = [];
  if (env.status === "added") out.push("New environment: everything below is created.", "");
  if (env.status === "removed") out.push("Environment removed from the config: its clients lose all access.", "");
  if (env.access.length > 0) out.push("**Effective access**", "", ...accessBlock(env.access, env.clients), "");
  else out.push("Effective access: unchanged.", "");

  const changes = [
    ...env.endpoints.map((e) => `${ENDPOINT_LABELS[e.what]}: ${mdCode(e.before)} → ${mdCode(e.after)}`),
    ...(env.sourceIps ? [`Allowed source IPs: ${sourceIpsText(env.sourceIps.before)} → **${sourceIpsText(env.sourceIps.after)}** (other sources get 403 on every route)`] : []),
    ...env.scopesDefined.map((s) => `Scope ${mdCode(s)} **defined** on the resource server`),
    ...env.scopesDeleted.map((s) => `Scope ${mdCode(s)} **deleted** from the resource server`),
    ...env.clients.map(clientLine),
    ...env.routes.map(routeLine),
  ];
  if (changes.length > 0) out.push("**Config changes**", "", ...changes.map((c) => `- ${c}`), "");
  return out.join("\n");
}

/** The comment; one line under the marker when nothing changed. Deterministic for the same diff and labels. */
export function renderAccessDiffMarkdown(diff: AccessDiff, labels: DiffLabels): string {
  const span = `${mdCode(labels.base)} → ${mdText(labels.head)}`;
  if (!diff.changed) return `${ACCESS_DIFF_MARKER}\nNo access changes between ${mdCode(labels.base)} and ${mdText(labels.head)}, in any environment.\n`;

  // Group environments whose sections read the same (dev and prod usually change together).
  const groups: { names: string[]; body: string }[] = [];
  for (const env of diff.environments.filter((e) => e.status !== "unchanged")) {
    const body = environmentBody(env);
    const same = groups.find((g) => g.body === body);
    if (same) same.names.push(env.environment);
    else groups.push({ names: [env.environment], body });
  }
  const out = [ACCESS_DIFF_MARKER, `## Access changes: ${span}`, ""];
  const reviewers = reviewersOf(diff);
  if (reviewers.length > 0) out.push(`**Reviews to ask**: ${reviewers.map((r) => `${mdCode(r.owner)} (${r.apis.map((a) => (a.startsWith("clients of") ? mdText(a) : mdCode(a))).join(", ")})`).join("; ")}`, "");
  const crossTeam = diff.environments.flatMap((e) => (e.apis ?? []).flatMap((a) => a.grants.filter((g) => g.crossTeam).map((g) => `${mdCode(g.client)} → ${mdCode(a.api)}`)));
  if (crossTeam.length > 0) out.push(`**Cross-team grants**: ${[...new Set(crossTeam)].join(", ")} (the API's team and the client's team both approve).`, "");
  for (const g of groups) out.push(`### ${g.names.map(mdCode).join(", ")}`, "", g.body);
  const unchanged = diff.environments.filter((e) => e.status === "unchanged").map((e) => mdCode(e.environment));
  if (unchanged.length > 0) out.push(`No access changes in ${unchanged.join(", ")}.`, "");
  const cutOff = diff.environments.some((e) => e.clients.some((c) => c.kind === "changed" && c.disabled?.after === true));
  if (cutOff) out.push(`> ${mdText(DISABLED_CLIENT_NOTE)}`, "");
  const multi = diff.environments.some((e) => e.apis !== undefined);
  out.push(
    multi
      ? "_Written by `npm run report -- --base`. Every API and client: `access.html` (the central view); the matrix per API and environment: `<env>/access.md`; both in the `access-review` artifact of the `pull request review` run (`cdktf.out/reports/` locally)._"
      : "_Written by `npm run report -- --base`. The full matrix per environment: `<env>/access.html` in the `access-review` artifact of the `pull request review` run (`cdktf.out/reports/` locally)._",
    "",
  );
  return out.join("\n");
}
