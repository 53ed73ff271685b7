/**
 * What an environment's stack reserves of the account's Lambda concurrency: each API's scope
 * checker (`environments[].scopeChecker.reservedConcurrency`, one checker per API with
 * scope-checker routes) and each backend function that names the environment in its
 * `reservedConcurrency`. Opt-in: nothing is reserved unless the config says so.
 */
import type { Environment, M2MModel } from "./model-types";

export interface Reservation {
  /** `<api> scope checker` or `<api> backend <key>`. */
  readonly what: string;
  readonly executions: number;
}

export function reservationsOf(model: M2MModel, env: Environment): Reservation[] {
  const list: Reservation[] = [];
  for (const api of model.apis) {
    if (env.scopeCheckerReservedConcurrency !== undefined && api.routes.some((r) => r.authorizer === "scope-checker")) {
      list.push({ what: `${api.name} scope checker`, executions: env.scopeCheckerReservedConcurrency });
    }
    for (const fn of api.backendFunctions) {
      const executions = fn.reservedConcurrency[env.name];
      if (executions !== undefined) list.push({ what: `${api.name} backend ${fn.key}`, executions });
    }
  }
  return list;
}
