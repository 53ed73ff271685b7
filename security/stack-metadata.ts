/**
 * What a rule needs to know about a stack beyond its JSON: which environment it is, whether it
 * is a production one (strict rules apply) and whether it should have access logs. Taken from
 * the validated model, never guessed from the synthesized output (a rule that read "is this
 * production?" from the JSON would pass a stack that silently lost its protection).
 */
import { methodArnSuffix } from "../model/backends";
import type { Environment, Route } from "../model/model-types";

export interface StackMetadata {
  readonly environmentName: string;
  readonly production: boolean;
  readonly accessLogsEnabled: boolean;
  /**
   * The method ARN tails (`POST/payments`, `GET/orders/*`) of the routes a Lambda backend
   * serves: the only ones an invoke permission may name. Absent when the caller gave no routes.
   */
  readonly backendMethods?: readonly string[];
  /** Enabled clients with rate limits or a quota in this environment (each needs a usage plan). */
  readonly limitedClients?: readonly string[];
}

export function stackMetadataOf(environment: Environment, routes?: readonly Route[]): StackMetadata {
  // `kind` decides; a model without it (before issue 6) marks production by deletion protection.
  const kind: string | undefined = environment.kind;
  const limitedClients = (environment.clients ?? []).filter((c) => !c.disabled && c.limits !== undefined).map((c) => c.name);
  return {
    environmentName: environment.name,
    production: kind === undefined ? environment.deletionProtection : kind === "production",
    accessLogsEnabled: environment.accessLogs?.enabled ?? false,
    ...(routes === undefined
      ? {}
      : { backendMethods: routes.filter((r) => r.backend?.type === "lambda" || r.backend?.type === "lambda-arn").map((r) => methodArnSuffix(r.method, r.path)) }),
    ...(limitedClients.length > 0 ? { limitedClients } : {}),
  };
}
