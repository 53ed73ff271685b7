/**
 * What a rule needs to know about a stack beyond its JSON: which environment it is, whether it
 * is a production one (strict rules apply) and whether it should have access logs. Taken from
 * the validated model, never guessed from the synthesized output (a rule that read "is this
 * production?" from the JSON would pass a stack that silently lost its protection).
 */
import { allRoutes, terraformPrefix } from "../model/apis";
import { methodArnSuffix } from "../model/backends";
import type { Environment, M2MModel, Route } from "../model/model-types";

export interface StackMetadata {
  readonly environmentName: string;
  readonly production: boolean;
  readonly accessLogsEnabled: boolean;
  /**
   * The method ARN tails (`POST/payments`, `GET/orders/*`) of the routes a Lambda backend
   * serves: the only ones an invoke permission may name. Absent when the caller gave no routes.
   */
  readonly backendMethods?: readonly string[];
  /**
   * With several APIs: the same tails by the address of the REST API whose routes they are
   * (`aws_api_gateway_rest_api.payments_rest_api`), so a permission on one API's execution ARN
   * may name only that API's routes. Absent in the one-API form (one REST API: the list above).
   */
  readonly backendMethodsByRestApi?: Readonly<Record<string, readonly string[]>>;
  /** Enabled clients with rate limits or a quota in this environment (each needs a usage plan). */
  readonly limitedClients?: readonly string[];
}

const backendTails = (routes: readonly Route[]) => routes.filter((r) => r.backend?.type === "lambda" || r.backend?.type === "lambda-arn").map((r) => methodArnSuffix(r.method, r.path));

/** `model`: the APIs whose routes the stack serves (absent: no route-level checks). */
export function stackMetadataOf(environment: Environment, model?: Pick<M2MModel, "layout" | "apis">): StackMetadata {
  // `kind` decides; a model without it (before issue 6) marks production by deletion protection.
  const kind: string | undefined = environment.kind;
  const limitedClients = (environment.clients ?? []).filter((c) => !c.disabled && c.limits !== undefined).map((c) => c.name);
  const byRestApi =
    model?.layout === "multi-api"
      ? Object.fromEntries(model.apis.map((api) => [`aws_api_gateway_rest_api.${terraformPrefix(model, api)}rest_api`, backendTails(api.routes)]))
      : undefined;
  return {
    environmentName: environment.name,
    production: kind === undefined ? environment.deletionProtection : kind === "production",
    accessLogsEnabled: environment.accessLogs?.enabled ?? false,
    ...(model === undefined ? {} : { backendMethods: backendTails(allRoutes(model)) }),
    ...(byRestApi ? { backendMethodsByRestApi: byRestApi } : {}),
    ...(limitedClients.length > 0 ? { limitedClients } : {}),
  };
}
