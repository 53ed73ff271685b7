/**
 * The security posture diff (issue 21): a change to an environment's kind or protections is as
 * much a change of who can do what as a scope grant, but the access diff (who may call what)
 * cannot show it. Setting prod's `kind: "development"` drops WAF, alarms, access logs and
 * deletion protection at once; each such change is listed here, per environment, as the
 * validated models say it (defaults applied), for the platform owners to approve.
 */
import type { Environment, M2MModel, TokenValidity } from "../model/model-types";
import { mdCode, mdText } from "./markdown-text";

export interface PostureChange {
  readonly environment: string;
  /** What changed, as a reader names it: `WAF`, `client billing: access token validity`. */
  readonly setting: string;
  readonly before: string;
  readonly after: string;
  /** The change loosens protection (off, longer, larger, fewer alarms), rather than tightening it. */
  readonly weaker: boolean;
}

const onOff = (on: boolean) => (on ? "on" : "off");
const list = (items: readonly string[]) => (items.length === 0 ? "none" : [...items].sort().join(", "));
const validity = (v: TokenValidity) => `${v.value} ${v.unit}`;
const VALIDITY_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;
const seconds = (v: TokenValidity) => v.value * (VALIDITY_SECONDS[v.unit as keyof typeof VALIDITY_SECONDS] ?? 1);

/** One protection of an environment: how it reads, and whether a new value is weaker than an old one. */
interface Setting {
  readonly name: string;
  readonly read: (e: Environment) => string;
  readonly weaker: (before: Environment, after: Environment) => boolean;
}

const SETTINGS: readonly Setting[] = [
  { name: "environment kind", read: (e) => e.kind, weaker: (b, a) => b.kind === "production" && a.kind !== "production" },
  { name: "deletion protection", read: (e) => onOff(e.deletionProtection), weaker: (b, a) => b.deletionProtection && !a.deletionProtection },
  { name: "WAF", read: (e) => (e.waf.enabled ? `on (${e.waf.rateLimitPer5Minutes}/5 min per IP, token endpoint ${e.waf.tokenEndpointRateLimitPer5Minutes}/5 min)` : "off"), weaker: (b, a) => (b.waf.enabled && !a.waf.enabled) || (a.waf.enabled && (a.waf.rateLimitPer5Minutes > b.waf.rateLimitPer5Minutes || a.waf.tokenEndpointRateLimitPer5Minutes > b.waf.tokenEndpointRateLimitPer5Minutes)) },
  { name: "alarms", read: (e) => (e.alarms.enabled ? `on (to ${list(e.alarms.emails)})` : "off"), weaker: (b, a) => (b.alarms.enabled && !a.alarms.enabled) || b.alarms.emails.some((m) => !a.alarms.emails.includes(m)) },
  { name: "access and execution logs", read: (e) => onOff(e.accessLogs.enabled), weaker: (b, a) => b.accessLogs.enabled && !a.accessLogs.enabled },
  { name: "log retention", read: (e) => `${e.logRetentionDays} days`, weaker: (b, a) => a.logRetentionDays < b.logRetentionDays },
  { name: "source-IP allow-list", read: (e) => (e.allowedSourceIps.length === 0 ? "none (any address)" : list(e.allowedSourceIps)), weaker: (b, a) => (b.allowedSourceIps.length > 0 && a.allowedSourceIps.length === 0) || a.allowedSourceIps.some((ip) => b.allowedSourceIps.length > 0 && !b.allowedSourceIps.includes(ip)) },
  { name: "throttling", read: (e) => `${e.throttling.rateLimit}/s, burst ${e.throttling.burstLimit}`, weaker: (b, a) => a.throttling.rateLimit > b.throttling.rateLimit || a.throttling.burstLimit > b.throttling.burstLimit },
  { name: "scope checker reserved concurrency", read: (e) => (e.scopeCheckerReservedConcurrency === undefined ? "none" : String(e.scopeCheckerReservedConcurrency)), weaker: (b, a) => b.scopeCheckerReservedConcurrency !== undefined && a.scopeCheckerReservedConcurrency === undefined },
  { name: "threat protection", read: (e) => e.threatProtection, weaker: (b, a) => b.threatProtection !== "OFF" && a.threatProtection === "OFF" },
  { name: "secret rotation grace", read: (e) => `${e.secretRotationGraceSeconds} s`, weaker: (b, a) => a.secretRotationGraceSeconds > b.secretRotationGraceSeconds },
];

/** Every posture change between the environments both models define (an added or removed environment is in the access diff). */
export function diffPosture(base: M2MModel, head: M2MModel): PostureChange[] {
  const out: PostureChange[] = [];
  for (const after of head.environments) {
    const before = base.environments.find((e) => e.name === after.name);
    if (before === undefined) continue;
    for (const s of SETTINGS) {
      const [b, a] = [s.read(before), s.read(after)];
      if (b !== a) out.push({ environment: after.name, setting: s.name, before: b, after: a, weaker: s.weaker(before, after) });
    }
    for (const client of after.clients) {
      const was = before.clients.find((c) => c.name === client.name);
      if (was === undefined) continue;
      const rotation = (d: number | undefined) => (d === undefined ? "not rotated" : `every ${d} days`);
      if (was.secretRotationDays !== client.secretRotationDays) {
        out.push({ environment: after.name, setting: `client ${client.name}: secret rotation`, before: rotation(was.secretRotationDays), after: rotation(client.secretRotationDays), weaker: client.secretRotationDays === undefined || (was.secretRotationDays !== undefined && client.secretRotationDays > was.secretRotationDays) });
      }
      if (validity(was.accessTokenValidity) !== validity(client.accessTokenValidity)) {
        out.push({ environment: after.name, setting: `client ${client.name}: access token validity`, before: validity(was.accessTokenValidity), after: validity(client.accessTokenValidity), weaker: seconds(client.accessTokenValidity) > seconds(was.accessTokenValidity) });
      }
    }
  }
  return out;
}

/**
 * The comment's posture section (Markdown), or "" when nothing changed. `owners` approve it: the
 * platform owners of the base branch's config (the pull request cannot name its own approvers).
 */
export function renderPostureChanges(changes: readonly PostureChange[], owners: readonly string[]): string {
  if (changes.length === 0) return "";
  const approvers = owners.length === 0 ? "the platform owners (CODEOWNERS of `m2m.config.ts`)" : owners.map(mdCode).join(", ");
  const lines = changes.map((c) => `> - ${mdCode(c.environment)}: ${mdText(c.setting)} ${mdText(c.before)} → ${mdText(c.after)}${c.weaker ? " **(weaker)**" : ""}`);
  return [
    "> [!CAUTION]",
    `> **Security-relevant changes** (environment protections): approval needed from ${approvers}.`,
    ">",
    ...lines,
    "",
  ].join("\n");
}
