/**
 * The REST API stage, offline: route selection as API Gateway does it, the route's authorizer
 * (native Cognito or the scope-checker Lambda), on a metered route the usage plan of the key
 * the Lambda named (usage-meter.ts), then the route's backend with the identity the authorizer
 * established (backend-integration.ts: mock, Lambda handler, HTTP).
 */
import type { Route } from "../model/model-types";
import { accessDenied, authorizerConfigurationError, missingAuthenticationToken, unauthorized } from "./gateway-responses";
import { headerValue, type LocalRequest, type LocalResponse } from "./http-types";
import type { BackendIntegrations } from "./backend-integration";
import type { NativeAuthorizer } from "./native-authorizer";
import { createRouteTable } from "./route-table";
import type { ScopeCheckerAuthorizer } from "./scope-checker-authorizer";
import type { UsageMeter } from "./usage-meter";

export interface ApiEmulatorOptions {
  readonly routes: readonly Route[];
  /** Realm of the `WWW-Authenticate` challenge: the API's name, as in the deployed gateway responses. */
  readonly realm: string;
  readonly nativeAuthorizer: NativeAuthorizer;
  readonly scopeChecker: ScopeCheckerAuthorizer;
  readonly backends: BackendIntegrations;
  /** Keys of the routes that require the usage-plan key, and the plans that count it. */
  readonly metering?: { readonly routes: ReadonlySet<string>; readonly meter: UsageMeter };
}

export interface ApiEmulator {
  /** `apiPath` is the path after the stage, e.g. `/orders/42`. */
  handle(request: LocalRequest, apiPath: string): Promise<LocalResponse>;
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
        const result = options.nativeAuthorizer.authorize(headerValue(request.headers, "authorization"), route);
        if (result.decision !== "allow") return unauthorized(realm);
        return options.backends.invoke({ request, route, apiPath, pathParameters, identity: result.identity });
      }

      const result = await options.scopeChecker.authorize(request, route, apiPath, pathParameters);
      switch (result.decision) {
        case "allow":
          if (options.metering?.routes.has(route.key)) {
            const refused = options.metering.meter.admit(result.usageIdentifierKey);
            if (refused) return refused;
          }
          return options.backends.invoke({ request, route, apiPath, pathParameters, identity: result.identity });
        case "no-token":
        case "unauthorized":
          return unauthorized(realm);
        case "explicit-deny":
          return accessDenied(realm, true, result.reason);
        case "implicit-deny":
          return accessDenied(realm, false, result.reason);
        case "authorizer-error":
          return authorizerConfigurationError();
      }
    },
  };
}
