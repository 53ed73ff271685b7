/**
 * One route's integration, as the OpenAPI document carries it: the
 * `x-amazon-apigateway-integration` object and the method responses it answers with. Every
 * backend kind plugs in here:
 * - mock: a MOCK integration that answers with a fixed status and JSON body;
 * - a Lambda function (built from a handler here, or existing by ARN): `aws_proxy`, always
 *   invoked with POST (Lambda's Invoke API), the whole request and the authorizer's context
 *   in the event;
 * - an HTTP backend: `http_proxy` to its https URL with the route's method, the path
 *   parameters mapped into the URL's placeholders (the query string passes through by itself),
 *   and the caller's identity as `X-M2M-Client-Id` / `X-M2M-Scopes` mapped from the
 *   authorizer's result. A mapped header replaces one the caller sent under the same name, so
 *   a caller cannot forge them.
 */
import { IDENTITY_HEADERS, INTEGRATION_TIMEOUT_MAX_MS, pathParameterNames } from "../model/backends";
import type { AuthorizerKind } from "../model/config-types";
import type { Route } from "../model/model-types";
import type { JsonObject } from "./openapi-json";

export interface RouteIntegration {
  /** The operation's `x-amazon-apigateway-integration`. */
  readonly integration: JsonObject;
  /** The operation's `responses` (API Gateway's method responses), keyed by status code. */
  readonly responses: JsonObject;
}

export interface RouteIntegrationContext {
  /** The invoke URI of a Lambda route's function (a Terraform expression for one built here). */
  readonly lambdaInvokeUri?: (route: Route) => string | undefined;
}

/** Where API Gateway finds the client id and scopes the route's authorizer established. */
function identitySources(authorizer: AuthorizerKind): { readonly clientId: string; readonly scopes: string } {
  return authorizer === "scope-checker"
    ? { clientId: "context.authorizer.clientId", scopes: "context.authorizer.scope" }
    : { clientId: "context.authorizer.claims.client_id", scopes: "context.authorizer.claims.scope" };
}

/** A proxy integration passes the backend's status and headers through: one method response documents it. */
const PROXY_RESPONSES: JsonObject = { "200": { description: "The backend's response, passed through" } };

export function routeIntegration(route: Route, ctx: RouteIntegrationContext = {}): RouteIntegration {
  const backend = route.backend;
  switch (backend.type) {
    case "mock":
      return mockIntegration(route.response);
    case "lambda":
    case "lambda-arn": {
      const uri = ctx.lambdaInvokeUri?.(route);
      if (!uri) throw new Error(`route ${route.method} ${route.path} is served by Lambda, but no invoke URI was given`);
      return {
        integration: { type: "aws_proxy", httpMethod: "POST", uri, passthroughBehavior: "when_no_match", timeoutInMillis: INTEGRATION_TIMEOUT_MAX_MS },
        responses: PROXY_RESPONSES,
      };
    }
    case "http": {
      const identity = identitySources(route.authorizer);
      const requestParameters: Record<string, string> = {};
      for (const name of pathParameterNames(route.path)) requestParameters[`integration.request.path.${name}`] = `method.request.path.${name}`;
      requestParameters[`integration.request.header.${IDENTITY_HEADERS.clientId}`] = identity.clientId;
      requestParameters[`integration.request.header.${IDENTITY_HEADERS.scopes}`] = identity.scopes;
      return {
        integration: {
          type: "http_proxy",
          // ANY stays ANY: the caller's method is passed on.
          httpMethod: route.method,
          uri: backend.url,
          requestParameters,
          passthroughBehavior: "when_no_match",
          timeoutInMillis: backend.timeoutMs,
        },
        responses: PROXY_RESPONSES,
      };
    }
  }
}

function mockIntegration(response: Route["response"]): RouteIntegration {
  const status = String(response.status);
  return {
    integration: {
      type: "mock",
      // The mock reads the status code from the request template.
      requestTemplates: { "application/json": JSON.stringify({ statusCode: response.status }) },
      // Never pass an unmapped request body through: other content types get 415.
      passthroughBehavior: "never",
      responses: { default: { statusCode: status, responseTemplates: { "application/json": JSON.stringify(response.body) } } },
    },
    responses: { [status]: { description: "Mock response" } },
  };
}
