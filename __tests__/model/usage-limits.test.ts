/** Per-client limits: tiers, overrides, and every problem named by field, rule and value. */
import { allRoutes } from "../../model/apis";
import { usageMetering } from "../../model/usage-plans";
import { validateConfig } from "../../model/validate";
import { problemsAfter as problemsAfterEdit } from "../support/config-problems";
import { PARTNER_TIER, SETTLEMENT_LIMITS, limitedConfig } from "../support/limited-config";

const problemsAfter = (mutate: (config: Mutable) => void) => problemsAfterEdit(mutate, limitedConfig);

type Mutable = Record<string, any>;


const client = (c: Mutable, name: string) => c.clients.find((x: { name: string }) => x.name === name);

test("a config with tiers, own limits and overrides is valid and resolves per environment", () => {
  const model = validateConfig(limitedConfig());
  const [dev, prod] = model.environments;
  const billing = dev!.clients.find((c) => c.name === "billing")!;
  expect(billing.limits).toEqual({ plan: "tier-partner", tier: "partner", ...PARTNER_TIER });
  expect(dev!.clients.find((c) => c.name === "settlement")!.limits).toEqual({ plan: "client-settlement", ...SETTLEMENT_LIMITS });
  expect(prod!.clients.find((c) => c.name === "settlement")!.limits).toEqual({ plan: "client-settlement", rateLimit: 20, burstLimit: 40 });
  expect(dev!.clients.find((c) => c.name === "auditor")!.limits).toBeUndefined();
  const metering = usageMetering(dev!.clients, allRoutes(model));
  expect(metering.meteredRoutes.map((r) => r.key)).toEqual(["post_payments"]);
  expect(metering.plans.map((p) => [p.name, p.clients.map((c) => c.name)])).toEqual([
    ["tier-partner", ["billing"]],
    ["client-settlement", ["settlement"]],
    ["unmetered", ["auditor"]],
  ]);
});

test("null in an override lifts the limits in that environment; a disabled client gets no plan", () => {
  const config = limitedConfig() as Mutable;
  client(config, "billing").overrides = { dev: { limits: null } };
  client(config, "settlement").overrides = { dev: { disabled: true } };
  const model = validateConfig(config);
  const dev = model.environments[0]!;
  expect(dev.clients.find((c) => c.name === "billing")!.limits).toBeUndefined();
  expect(model.environments[1]!.clients.find((c) => c.name === "billing")!.limits?.plan).toBe("tier-partner");
  expect(usageMetering(dev.clients, allRoutes(model))).toEqual({ meteredRoutes: [], plans: [] });
});

const cases: [string, (c: Mutable) => void, string][] = [
  ["burst below rate in a tier", (c) => (c.usageTiers.partner.burstLimit = 4), 'usageTiers.partner.burstLimit: must be at least rateLimit (5) (got 4)'],
  ["burst below rate in own limits", (c) => (client(c, "settlement").limits = { rateLimit: 3, burstLimit: 2 }), "clients[4].limits.burstLimit: must be at least rateLimit (3) (got 2)"],
  ["a quota period API Gateway lacks", (c) => (client(c, "settlement").limits.quota.period = "YEAR"), 'clients[4].limits.quota.period: must be one of "DAY", "WEEK", "MONTH" (got "YEAR")'],
  ["a fractional quota", (c) => (client(c, "settlement").limits.quota.limit = 2.5), "clients[4].limits.quota.limit: must be a whole number (got 2.5)"],
  ["a rate above the account limit", (c) => (c.usageTiers.partner.rateLimit = 20_000), "usageTiers.partner.rateLimit: must be at most 10000 (API Gateway's account limit) (got 20000)"],
  ["a burst above the account limit", (c) => (c.usageTiers.partner.burstLimit = 6000), "usageTiers.partner.burstLimit: must be at most 5000 (API Gateway's account limit) (got 6000)"],
  ["an unknown tier", (c) => (client(c, "billing").limits = "gold"), 'clients[3].limits: must name a tier defined in usageTiers (partner) (got "gold")'],
  ["an unknown tier in an override", (c) => (client(c, "billing").overrides = { prod: { limits: "gold" } }), 'clients[3].overrides["prod"].limits: must name a tier defined in usageTiers (partner) (got "gold")'],
  ["a tier name that is no name", (c) => (client(c, "billing").limits = "Gold Tier"), 'clients[3].limits: must name a tier: 1–64 lowercase letters, digits or hyphens (got "Gold Tier")'],
  ["limits that are neither", (c) => (client(c, "billing").limits = 5), "clients[3].limits: must be a tier's name or { rateLimit, burstLimit, quota? } (got 5)"],
  ["a misspelled limits field", (c) => (client(c, "settlement").limits.rateLimt = 1), 'clients[4].limits.rateLimt: is not a known field; did you mean "rateLimit"? (got 1)'],
  [
    "a rate above the stage's throttling",
    (c) => (client(c, "settlement").limits = { rateLimit: 15, burstLimit: 15 }),
    "clients[4].limits.rateLimit: must be at most environment dev's stage throttling rateLimit (10): the stage's limit holds for all callers together (got 15)",
  ],
  [
    "a limited client that can call a native-authorizer route",
    (c) => (client(c, "writer").limits = "partner"),
    'clients[2].limits: are counted only on scope-checker routes (API Gateway meters a call when a Lambda authorizer names the client\'s usage key; the native Cognito authorizer cannot): in environment dev this client can call 2 routes with the native authorizer; set authorizer: "scope-checker" on them, or narrow the client\'s scopes (got "GET /premium, POST /premium")',
  ],
];

test.each(cases)("%s", (_name, mutate, expected) => {
  expect(problemsAfter(mutate)).toContain(expected);
});

test("the native-authorizer problem is reported once per environment, and routed through the scope checker it is gone", () => {
  expect(problemsAfter((c) => (client(c, "writer").limits = "partner")).filter((p) => p.startsWith("clients[2].limits:"))).toHaveLength(2);
  expect(
    problemsAfter((c) => {
      client(c, "writer").limits = "partner";
      for (const route of c.routes) if (route.path === "/premium") route.authorizer = "scope-checker";
    }),
  ).toEqual([]);
});
