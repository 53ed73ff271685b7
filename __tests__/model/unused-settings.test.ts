/**
 * Nothing a user set is dropped in silence: a setting under a feature that is off is a validation
 * error naming why the feature is off and the fix; alarms that reach nobody are a warning.
 */
import { configWarnings } from "../../model/config-warnings";
import { formatProblem } from "../../model/problems";
import { validateConfig } from "../../model/validate";
import defaultConfig from "../fixtures/single-api.config";
import { problemsAfter, type MutableConfig } from "../support/config-problems";

// environments[0] is "dev" (development), environments[1] "prod" (production, alarms to one address).
test.each<[string, (c: MutableConfig) => void, string]>([
  [
    "alarm emails on a development environment",
    (c) => (c.environments[0].alarms = { emails: ["ops@example.com"] }),
    'environments[0].alarms.emails: has no effect: alarms is off in "dev" (off by default in development environments), so no address is subscribed: set alarms.enabled: true, or remove emails (got ["ops@example.com"])',
  ],
  [
    "alarm emails with alarms switched off",
    (c) => (c.environments[1].alarms = { enabled: false, emails: ["ops@example.com"] }),
    'environments[1].alarms.emails: has no effect: alarms is off in "prod" (alarms.enabled: false), so no address is subscribed: set alarms.enabled: true, or remove emails (got ["ops@example.com"])',
  ],
  [
    "a WAF limit on an environment without WAF",
    (c) => (c.environments[0].waf = { rateLimitPer5Minutes: 500 }),
    'environments[0].waf.rateLimitPer5Minutes: has no effect: waf is off in "dev" (off by default in development environments): set waf.enabled: true, or remove rateLimitPer5Minutes (got 500)',
  ],
  [
    "a token-endpoint WAF limit with WAF switched off",
    (c) => (c.environments[1].waf = { enabled: false, tokenEndpointRateLimitPer5Minutes: 900 }),
    'environments[1].waf.tokenEndpointRateLimitPer5Minutes: has no effect: waf is off in "prod" (waf.enabled: false): set waf.enabled: true, or remove tokenEndpointRateLimitPer5Minutes (got 900)',
  ],
  [
    "a rotation interval where no secret rotates",
    (c) => (c.environments[0].secretRotation = { everyDays: 7 }),
    'environments[0].secretRotation.everyDays: has no effect: secretRotation is off in "dev" (off by default in development environments), so no client\'s secret rotates: set secretRotation.enabled: true, or remove everyDays (got 7)',
  ],
  [
    "a client's own interval where its secret never rotates",
    (c) => {
      c.environments = [c.environments[0]];
      c.clients[1].secretRotation = { everyDays: 7 };
    },
    "clients[1].secretRotation.everyDays: has no effect: this client's secret rotates in no environment (rotation is off by default in development environments, and off for a disabled client): set secretRotation.enabled: true, or remove everyDays (got 7)",
  ],
  [
    "a per-environment interval for a client disabled there",
    (c) => (c.clients[1].overrides = { prod: { disabled: true, secretRotation: { everyDays: 7 } } }),
    'clients[1].overrides.prod.secretRotation.everyDays: has no effect: the client is disabled in "prod": set secretRotation.enabled: true there, or remove everyDays (got 7)',
  ],
])("%s is an error with the fix", (_what, change, expected) => {
  expect(problemsAfter(change)).toEqual([expected]);
});

test("every scope-checker setting without a scope-checker route is named", () => {
  const problems = problemsAfter((c) => {
    c.routes = c.routes.filter((r: { authorizer?: string }) => r.authorizer !== "scope-checker");
    c.scopeChecker = { memoryMb: 512 };
    c.environments[1].scopeChecker = { reservedConcurrency: 5 };
  });
  expect(problems).toEqual([
    'scopeChecker.memoryMb: has no effect: no route uses the scope checker (authorizer: "scope-checker"), so there is no function to configure: remove it (got 512)',
    'environments[1].scopeChecker.reservedConcurrency: has no effect: no route uses the scope checker (authorizer: "scope-checker"), so there is no function to configure: remove it (got 5)',
  ]);
});

test("the same settings with the feature on are valid", () => {
  expect(
    problemsAfter((c) => {
      c.environments[0].alarms = { enabled: true, emails: ["ops@example.com"] };
      c.environments[0].waf = { enabled: true, rateLimitPer5Minutes: 500 };
      c.environments[0].secretRotation = { enabled: true, everyDays: 7 };
    }),
  ).toEqual([]);
});

test.each<[string, number, (c: MutableConfig) => void, string]>([
  ["alarms switched on without an address", 0, (c) => (c.environments[0].alarms = { enabled: true }), "alarms.enabled: true"],
  ["production's alarms without an address", 1, (c) => delete c.environments[1].alarms, "on by default in production"],
])("%s: a warning with the fix", (_what, i, change, why) => {
  const config = structuredClone(defaultConfig) as MutableConfig;
  change(config);
  const name = config.environments[i].name as string;
  expect(configWarnings(validateConfig(config)).map(formatProblem)).toEqual([
    `environments[${i}].alarms.emails: is empty: "${name}" has alarms (${why}) but their SNS topic has no subscriber, so nobody hears one: add alarms.emails: ["oncall@example.com"], or set alarms.enabled: false (got [])`,
  ]);
});
