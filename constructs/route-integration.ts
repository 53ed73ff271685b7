/**
 * One route's integration, as the OpenAPI document carries it: the
 * `x-amazon-apigateway-integration` object and the method responses it answers with. Every
 * backend kind plugs in here; today a route is served by a MOCK integration that answers with
 * a fixed status and JSON body.
 */
import type { Route } from "../model/model-types";
import type { JsonObject } from "./openapi-json";

export interface RouteIntegration {
  /** The operation's `x-amazon-apigateway-integration`. */
  readonly integration: JsonObject;
  /** The operation's `responses` (API Gateway's method responses), keyed by status code. */
  readonly responses: JsonObject;
}

export function routeIntegration(route: Route): RouteIntegration {
  return mockIntegration(route.response);
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
