/**
 * The REST API stage, offline: route selection as API Gateway does it, the route's authorizer
 * (native Cognito or the scope-checker Lambda), then the mock integration's configured answer.
 */
import type { Route } from "../model/model-types";
import { accessDenied, authorizerConfigurationError, missingAuthenticationToken, unauthorized } from "./gateway-responses";
import { headerValue, jsonResponse, type LocalRequest, type LocalResponse } from "./http-types";
import type { NativeAuthorizer } from "./native-authorizer";
import { createRouteTable } from "./route-table";
import type { ScopeCheckerAuthorizer } from "./scope-checker-authorizer";

export interface ApiEmulatorOptions {
  readonly routes: readonly Route[];
  /** Realm of the `WWW-Authenticate` challenge: the API's name, as in the deployed gateway responses. */
  readonly realm: string;
  readonly nativeAuthorizer: NativeAuthorizer;
  readonly scopeChecker: ScopeCheckerAuthorizer;
}

export interface ApiEmulator {
  /** `apiPath` is the path after the stage, e.g. `/orders/42`. */
  handle(request: LocalRequest, apiPath: string): Promise<LocalResponse>;
}

/** Statuses that carry no body by definition (RFC 9110), whatever the template says. */
const BODYLESS_STATUSES = new Set([204, 205, 304]);

function mockIntegration(route: Route, method: string): LocalResponse {
  const response = jsonResponse(route.response.status, route.response.body);
  return method === "HEAD" || BODYLESS_STATUSES.has(route.response.status) ? { ...response, body: "" } : response;
}

export function createApiEmulator(options: ApiEmulatorOptions): ApiEmulator {
  const table = createRouteTable(options.routes);
  const { realm } = options;

  return {
    async handle(request, apiPath) {
      const match = table.match(request.method, apiPath);
      if (!match) return missingAuthenticationToken();
      const { route, pathParameters } = match;

      if (route.authorizer === "cognito") {
        const decision = options.nativeAuthorizer.authorize(headerValue(request.headers, "authorization"), route);
        if (decision !== "allow") return unauthorized(realm);
        return mockIntegration(route, request.method);
      }

      const decision = await options.scopeChecker.authorize(request, route, apiPath, pathParameters);
      switch (decision) {
        case "allow":
          return mockIntegration(route, request.method);
        case "no-token":
        case "unauthorized":
          return unauthorized(realm);
        case "explicit-deny":
          return accessDenied(realm, true);
        case "implicit-deny":
          return accessDenied(realm, false);
        case "authorizer-error":
          return authorizerConfigurationError();
      }
    },
  };
}
