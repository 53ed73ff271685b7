/**
 * Settings under a feature that is off: validation refuses them rather than drop them without a
 * word. Alarm addresses on an environment without alarms (a development environment's default,
 * or `enabled: false`) would get no subscription; WAF limits without WAF would limit nothing; the
 * scope checker's settings configure no function when no route uses it.
 * Each problem says why the feature is off and the two ways out. Client-secret rotation's
 * settings are judged with the rotation checks (cross-checks.ts), which know which clients rotate.
 */
import type { ConfigProblem } from "./problems";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Why a feature is off in an environment: its own `enabled: false`, or the development default. */
export function offBecause(env: Raw, feature: string): string {
  const name = typeof env.name === "string" ? `"${env.name}"` : "this environment";
  const section = env[feature];
  const enabled = isObject(section) ? section.enabled : undefined;
  if (enabled === false) return `${feature} is off in ${name} (${feature}.enabled: false)`;
  // On for the environment, off for each of its clients (disabled, or their own enabled: false).
  if (enabled === true || env.kind === "production") return `${feature} is off for every client of ${name}`;
  return `${feature} is off in ${name} (off by default in development environments)`;
}

/** On when set so, else on in production: the same defaults validate.ts resolves. */
function featureOn(env: Raw, feature: string): boolean {
  const section = env[feature];
  const enabled = isObject(section) ? section.enabled : undefined;
  return typeof enabled === "boolean" ? enabled : env.kind === "production";
}

const NO_SCOPE_CHECKER = 'has no effect: no route uses the scope checker (authorizer: "scope-checker"), so there is no function to configure: remove it';

export function checkUnusedSettings(problems: ConfigProblem[], input: Raw, environments: readonly unknown[], routes: readonly unknown[]): void {
  const usesScopeChecker = routes.some((r) => isObject(r) && r.authorizer === "scope-checker");
  if (!usesScopeChecker && isObject(input.scopeChecker)) {
    for (const [field, value] of Object.entries(input.scopeChecker)) problems.push({ path: `scopeChecker.${field}`, rule: NO_SCOPE_CHECKER, value });
  }
  environments.forEach((env, i) => {
    if (!isObject(env)) return;
    const checker = env.scopeChecker;
    if (!usesScopeChecker && isObject(checker) && checker.reservedConcurrency !== undefined) {
      problems.push({ path: `environments[${i}].scopeChecker.reservedConcurrency`, rule: NO_SCOPE_CHECKER, value: checker.reservedConcurrency });
    }
    const alarms = env.alarms;
    if (isObject(alarms) && Array.isArray(alarms.emails) && alarms.emails.length > 0 && !featureOn(env, "alarms")) {
      problems.push({
        path: `environments[${i}].alarms.emails`,
        rule: `has no effect: ${offBecause(env, "alarms")}, so no address is subscribed: set alarms.enabled: true, or remove emails`,
        value: alarms.emails,
      });
    }
    const waf = env.waf;
    if (isObject(waf) && !featureOn(env, "waf")) {
      for (const field of ["rateLimitPer5Minutes", "tokenEndpointRateLimitPer5Minutes"] as const) {
        if (waf[field] === undefined) continue;
        problems.push({ path: `environments[${i}].waf.${field}`, rule: `has no effect: ${offBecause(env, "waf")}: set waf.enabled: true, or remove ${field}`, value: waf[field] });
      }
    }
  });
}
