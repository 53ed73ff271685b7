/**
 * Which usage plans an environment needs, and which routes they meter. Pure: the constructs,
 * the local environment, the reports and the cross-checks all read it from here.
 *
 * API Gateway counts a call against a usage plan only on a method that requires an API key;
 * with the REST API's key source AUTHORIZER, the key is the `usageIdentifierKey` the Lambda
 * authorizer returns (the caller never handles a key). So:
 *  - a limited client's calls are counted on every route it can call only when all of them
 *    use the scope checker (the native Cognito authorizer cannot name a key; validation
 *    refuses a limited client that can call a native-authorizer route);
 *  - those routes (metered routes) require the key for every caller: a client that can call
 *    one without limits of its own is in the `unmetered` plan (no throttle or quota of its
 *    own: the stage's throttling applies), or API Gateway would answer it 403.
 */
import { decideRouteAccess } from "./access";
import type { Client, Route, UsageLimits } from "./model-types";

/** The plan of clients without limits that can call a metered route. */
export const UNMETERED_PLAN = "unmetered";

export interface UsagePlan {
  /** `tier-<tier>`, `client-<client>` or `unmetered`. */
  readonly name: string;
  /** Absent for the unmetered plan. */
  readonly limits?: Omit<UsageLimits, "plan">;
  /** Its clients (enabled), in config order. */
  readonly clients: readonly Client[];
}

export interface UsageMetering {
  /** Scope-checker routes some limited client can call: they require the API key. */
  readonly meteredRoutes: readonly Route[];
  /** Empty when no enabled client is limited. */
  readonly plans: readonly UsagePlan[];
}

/** Enabled clients with limits: a cut-off client gets no plan (it has no app client either). */
export function limitedClients(clients: readonly Client[]): Client[] {
  return clients.filter((c) => !c.disabled && c.limits !== undefined);
}

export function usageMetering(clients: readonly Client[], routes: readonly Route[]): UsageMetering {
  const limited = limitedClients(clients);
  const meteredRoutes = routes.filter((r) => r.authorizer === "scope-checker" && limited.some((c) => decideRouteAccess(c, r).allowed));
  // Every limited client gets its plan, even one that can call no route yet: "every limited
  // client has a usage plan" holds whatever the routes are.
  const byName = new Map<string, { limits: Omit<UsageLimits, "plan">; clients: Client[] }>();
  for (const client of limited) {
    const { plan, ...limits } = client.limits!;
    const entry = byName.get(plan) ?? { limits, clients: [] };
    entry.clients.push(client);
    byName.set(plan, entry);
  }
  const plans: UsagePlan[] = [...byName].map(([name, { limits, clients: members }]) => ({ name, limits, clients: members }));
  const unmetered = clients.filter((c) => !c.disabled && c.limits === undefined && meteredRoutes.some((r) => decideRouteAccess(c, r).allowed));
  if (unmetered.length > 0) plans.push({ name: UNMETERED_PLAN, clients: unmetered });
  return { meteredRoutes, plans };
}

/** A plan's limits in one line: `50 req/s, burst 100, 1000000 per MONTH`. */
export function describeLimits(limits: Omit<UsageLimits, "plan"> | undefined): string {
  if (limits === undefined) return "unlimited (stage throttling)";
  const quota = limits.quota ? `, ${limits.quota.limit} per ${limits.quota.period}` : "";
  return `${limits.rateLimit} req/s, burst ${limits.burstLimit}${quota}${limits.tier ? ` (tier ${limits.tier})` : ""}`;
}
