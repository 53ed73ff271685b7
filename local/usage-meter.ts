/**
 * Usage plans, offline: what API Gateway does on a method that requires an API key, with the
 * key the scope checker named (`usageIdentifierKey`):
 *  - no key, or a key in no plan of the stage: 403 `Forbidden`;
 *  - the plan's throttle, a token bucket per key (`rateLimit` per second, `burstLimit` deep):
 *    429 `Too Many Requests` when it is empty;
 *  - the plan's quota, calls per key per calendar period in UTC (DAY; WEEK from Monday; MONTH):
 *    429 `Limit Exceeded` once spent.
 * Unlike API Gateway, the 429s carry `Retry-After` (seconds until a token is back, or until the
 * period ends), so clients and tests can see when to come back; API Gateway sends none.
 * A throttled call does not spend quota. Keys are the values usage-key.ts derives.
 */
import { usageIdentifierKey } from "../lambdas/scope-checker/usage-key";
import type { QuotaPeriod } from "../model/config-types";
import type { UsagePlan } from "../model/usage-plans";
import { jsonResponse, type LocalResponse } from "./http-types";

export interface UsageMeterOptions {
  readonly plans: readonly UsagePlan[];
  /** The (local) app client id of a client, by name. */
  readonly clientIdOf: (name: string) => string | undefined;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface UsageMeter {
  /** Undefined: the call may go on (and was counted); otherwise API Gateway's answer. */
  admit(usageKey: string | undefined): LocalResponse | undefined;
}

interface Meter {
  readonly plan: UsagePlan;
  tokens: number;
  refilledAt: number;
  periodStart: number;
  used: number;
}

/** Start of the UTC calendar period holding `now`, and of the next one. */
export function quotaPeriodBounds(period: QuotaPeriod, now: number): { start: number; end: number } {
  const d = new Date(now);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  if (period === "MONTH") return { start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  if (period === "DAY") return { start: Date.UTC(y, m, day), end: Date.UTC(y, m, day + 1) };
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return { start: Date.UTC(y, m, day - sinceMonday), end: Date.UTC(y, m, day - sinceMonday + 7) };
}

const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export function createUsageMeter(options: UsageMeterOptions): UsageMeter {
  const now = options.now ?? Date.now;
  const meters = new Map<string, Meter>();
  for (const plan of options.plans) {
    for (const client of plan.clients) {
      const clientId = options.clientIdOf(client.name);
      if (clientId === undefined) continue;
      meters.set(usageIdentifierKey(clientId), { plan, tokens: plan.limits?.burstLimit ?? 0, refilledAt: now(), periodStart: 0, used: 0 });
    }
  }

  return {
    admit(usageKey) {
      const meter = usageKey === undefined ? undefined : meters.get(usageKey);
      if (meter === undefined) return jsonResponse(403, { message: "Forbidden" }, { "x-amzn-errortype": "ForbiddenException" });
      const limits = meter.plan.limits;
      if (limits === undefined) return undefined;
      const at = now();
      meter.tokens = Math.min(limits.burstLimit, meter.tokens + ((at - meter.refilledAt) / 1000) * limits.rateLimit);
      meter.refilledAt = at;
      if (meter.tokens < 1) {
        return jsonResponse(429, { message: "Too Many Requests" }, { "retry-after": seconds(((1 - meter.tokens) / limits.rateLimit) * 1000), "x-amzn-errortype": "TooManyRequestsException" });
      }
      if (limits.quota) {
        const { start, end } = quotaPeriodBounds(limits.quota.period, at);
        if (meter.periodStart !== start) {
          meter.periodStart = start;
          meter.used = 0;
        }
        if (meter.used >= limits.quota.limit) return jsonResponse(429, { message: "Limit Exceeded" }, { "retry-after": seconds(end - at), "x-amzn-errortype": "LimitExceededException" });
        meter.used += 1;
      }
      meter.tokens -= 1;
      return undefined;
    },
  };
}
