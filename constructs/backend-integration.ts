/**
 * The `x-amazon-apigateway-integration` of a route served by a real backend, for the OpenAPI
 * body put onto the REST API:
 * - a Lambda function (built here or existing): `aws_proxy`, always invoked with POST;
 * - an HTTP backend: `http_proxy` to its https URL with the route's method, the path parameters
 *   mapped into the URL's placeholders (the query string passes through by itself), and the
 *   caller's identity as `X-M2M-Client-Id` / `X-M2M-Scopes` mapped from the authorizer's
 *   result. A mapping overrides a header the caller sent under the same name, so a caller
 *   cannot forge them.
 */
import { IDENTITY_HEADERS, INTEGRATION_TIMEOUT_MAX_MS, pathParameterNames } from "../model/backends";
import type { AuthorizerKind } from "../model/config-types";
import type { Route } from "../model/model-types";

/** Where API Gateway finds the client id and scopes the route's authorizer established. */
export function identitySources(authorizer: AuthorizerKind): { readonly clientId: string; readonly scopes: string } {
  return authorizer === "scope-checker"
    ? { clientId: "context.authorizer.clientId", scopes: "context.authorizer.scope" }
    : { clientId: "context.authorizer.claims.client_id", scopes: "context.authorizer.claims.scope" };
}

export interface BackendIntegrationContext {
  /** The invoke URI of the route's Lambda function (a Terraform expression for one built here). */
  readonly lambdaInvokeUri?: string;
}

/** The integration of a Lambda or HTTP route; undefined for a mock route. */
export function backendIntegration(route: Route, ctx: BackendIntegrationContext): Record<string, unknown> | undefined {
  const backend = route.backend;
  if (backend.type === "lambda" || backend.type === "lambda-arn") {
    if (!ctx.lambdaInvokeUri) throw new Error(`route ${route.method} ${route.path}: no Lambda invoke URI`);
    return {
      type: "aws_proxy",
      // Lambda's Invoke API is a POST, whatever the route's method.
      httpMethod: "POST",
      uri: ctx.lambdaInvokeUri,
      passthroughBehavior: "when_no_match",
      timeoutInMillis: INTEGRATION_TIMEOUT_MAX_MS,
    };
  }
  if (backend.type === "http") {
    const identity = identitySources(route.authorizer);
    const requestParameters: Record<string, string> = {};
    for (const name of pathParameterNames(route.path)) requestParameters[`integration.request.path.${name}`] = `method.request.path.${name}`;
    requestParameters[`integration.request.header.${IDENTITY_HEADERS.clientId}`] = identity.clientId;
    requestParameters[`integration.request.header.${IDENTITY_HEADERS.scopes}`] = identity.scopes;
    return {
      type: "http_proxy",
      httpMethod: route.method,
      uri: backend.url,
      requestParameters,
      passthroughBehavior: "when_no_match",
      timeoutInMillis: backend.timeoutMs,
    };
  }
  return undefined;
}
