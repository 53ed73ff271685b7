/**
 * The access file: the scope checker's client allow-list and routes, a JSON file in the
 * deployment package next to the handler. The ScopeChecker construct has Terraform render it
 * (client ids exist only after apply); lambda-environment.ts reads it at cold start. This
 * module holds only the shared name and shape, so synth can import it without the handler.
 */

/** The access file's name in the deployment package (and in LAMBDA_TASK_ROOT). */
export const ACCESS_FILE_NAME = "access.json";

/** What the access file holds. Scope NAMES; the full identifier is `${RESOURCE_SERVER_ID}/${name}`. */
export interface AccessFile {
  readonly clientIds: readonly string[];
  readonly routes: readonly { readonly method: string; readonly path: string; readonly scopes: readonly string[] }[];
}
