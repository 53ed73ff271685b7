/**
 * The demo config with partner contracts: `billing` on the `partner` tier, `settlement` with
 * limits of its own (and other limits in prod), `auditor` unlimited but calling the same
 * metered route (so it is in the unmetered plan).
 */
import defaultConfig from "../fixtures/single-api.config";
import type { M2MConfigInput } from "../../model/config-types";

export const PARTNER_TIER = { rateLimit: 5, burstLimit: 10, quota: { limit: 1_000_000, period: "MONTH" as const } };
export const SETTLEMENT_LIMITS = { rateLimit: 2, burstLimit: 3, quota: { limit: 6, period: "DAY" as const } };

export function limitedConfig(): M2MConfigInput {
  const config = structuredClone(defaultConfig) as M2MConfigInput & { clients: any[] };
  return structuredClone({
    ...config,
    usageTiers: { partner: PARTNER_TIER },
    clients: [
      ...config.clients.map((c) => (c.name === "billing" ? { ...c, limits: "partner" } : c)),
      { name: "settlement", scopes: ["payments.read", "payments.write"], limits: SETTLEMENT_LIMITS, overrides: { prod: { limits: { rateLimit: 20, burstLimit: 40 } } } },
      { name: "auditor", scopes: ["payments.read", "payments.write"] },
    ],
  });
}
