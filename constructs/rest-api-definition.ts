/**
 * The whole surface of the REST API as one OpenAPI 3.0 document with API Gateway's extensions:
 * paths and methods, each method's authorizer and scopes, its integration, the authorizers, the
 * OAuth-shaped 401/403 answers and the resource policy. `aws_api_gateway_rest_api_put` puts it
 * on the REST API in overwrite mode, so a deployment made after the put serves exactly this
 * document: a route removed from the config is gone from the API before the new deployment
 * snapshots it (with one Terraform resource per method, the new deployment was created while the
 * removed method still existed, and kept serving it).
 */
import type { Route } from "../model/model-types";
import { insufficientScopeChallenge, unauthorizedChallenge } from "../model/oauth-challenges";
import { parsePath, segmentText } from "../model/paths";
import type { Json, JsonObject } from "./openapi-json";
import { routeIntegration } from "./route-integration";

/** Authorizer (security scheme) names, as API Gateway lists them. */
export const COGNITO_AUTHORIZER = "cognito-user-pool";
export const SCOPE_CHECKER_AUTHORIZER = "scope-checker";
/** The usage-plan key requirement (API Gateway's `api_key` security scheme). */
const API_KEY_SCHEME = "api_key";

export interface RestApiDefinitionInput {
  /** The REST API's name and description: overwrite mode sets both from the document. */
  readonly title: string;
  readonly description: string;
  /** Shown in the `WWW-Authenticate` realm. */
  readonly realm: string;
  readonly routes: readonly Route[];
  /** Cognito user pool the native authorizer trusts. */
  readonly userPoolArn: string;
  /** Full scope identifiers for a scope name (interpolate the resource servers): one, or two while identifiers move. */
  readonly scopeIdentifiers: (name: string) => readonly string[];
  /** The scope checker, required when a route uses it. */
  readonly scopeChecker?: { readonly invokeArn: string; readonly resultTtlSeconds: number };
  /** Source IPs (CIDRs) allowed to call; empty: any source. */
  readonly allowedSourceIps: readonly string[];
  /** The invoke URI of each Lambda-served route's function (required when a route has a Lambda backend). */
  readonly lambdaInvokeUri?: (route: Route) => string | undefined;
  /**
   * Usage plans exist: API keys come from the scope checker (key source AUTHORIZER), and the
   * metered routes (by key; all scope-checker routes) require one, so every call is counted.
   */
  readonly usagePlans?: { readonly meteredRoutes: ReadonlySet<string> };
  /**
   * The API is served by a custom domain at this URL: the document names it as its server and
   * says whether the default execute-api endpoint is disabled (the put's overwrite mode sets the
   * REST API's endpoint settings from the document, so the setting lives here as well as on the
   * REST API).
   */
  readonly customDomain?: { readonly url: string; readonly disableExecuteApiEndpoint: boolean };
  /**
   * The scope checker may deny for a certificate binding: API Gateway's 403 body then carries
   * the reason the authorizer put in its context (`denyReason`), which the CLI shows.
   */
  readonly denyReasons?: boolean;
}

const IDENTITY_SOURCE = "method.request.header.Authorization";

/** `GET` -> `get`; `ANY` -> API Gateway's own operation key. */
function operationKey(route: Route): string {
  return route.method === "ANY" ? "x-amazon-apigateway-any-method" : route.method.toLowerCase();
}

/** Path parameters the method declares (an integration can only map declared parameters). */
function pathParameters(path: string): JsonObject[] {
  const parsed = parsePath(path);
  if ("problem" in parsed) throw new Error(`invalid path ${path}: ${parsed.problem}`); // validated config: cannot happen
  return parsed.segments.flatMap((s) => (s.kind === "parameter" ? [{ name: s.name, in: "path", required: true, schema: { type: "string" } }] : []));
}

/** `/files/{proxy+}` stays as it is: API Gateway's OpenAPI keeps the greedy `+` in the path key. */
function pathKeyOf(path: string): string {
  const parsed = parsePath(path);
  if ("problem" in parsed) throw new Error(`invalid path ${path}: ${parsed.problem}`);
  return `/${parsed.segments.map(segmentText).join("/")}`;
}

function securityOf(route: Route, input: RestApiDefinitionInput): JsonObject[] {
  if (route.authorizer === "scope-checker") {
    if (!input.scopeChecker) throw new Error(`route ${route.method} ${route.path} uses the scope checker, which this API was not given`);
    // One requirement with both schemes: the authorizer AND the key it names.
    return [{ [SCOPE_CHECKER_AUTHORIZER]: [], ...(input.usagePlans?.meteredRoutes.has(route.key) ? { [API_KEY_SCHEME]: [] } : {}) }];
  }
  if (input.usagePlans?.meteredRoutes.has(route.key)) throw new Error(`route ${route.method} ${route.path} is metered but not a scope-checker route`); // validated config: cannot happen
  // The scopes of a COGNITO_USER_POOLS requirement become the method's authorization scopes
  // (any-of). Without them the method would accept only ID tokens, never client-credentials
  // access tokens, so there are always some.
  return [{ [COGNITO_AUTHORIZER]: route.scopes.flatMap((s) => input.scopeIdentifiers(s)) }];
}

function operationOf(route: Route, input: RestApiDefinitionInput): JsonObject {
  const { integration, responses } = routeIntegration(route, { ...(input.lambdaInvokeUri ? { lambdaInvokeUri: input.lambdaInvokeUri } : {}) });
  const parameters = pathParameters(route.path);
  return {
    operationId: route.key,
    ...(parameters.length > 0 ? { parameters } : {}),
    security: securityOf(route, input),
    responses,
    "x-amazon-apigateway-integration": integration,
  };
}

function securitySchemes(input: RestApiDefinitionInput): JsonObject {
  const header = { type: "apiKey", name: "Authorization", in: "header" };
  return {
    [COGNITO_AUTHORIZER]: {
      ...header,
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: [input.userPoolArn] },
    },
    ...(input.scopeChecker
      ? {
          [SCOPE_CHECKER_AUTHORIZER]: {
            ...header,
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {
              type: "request",
              identitySource: IDENTITY_SOURCE,
              authorizerUri: input.scopeChecker.invokeArn,
              // Cached per token; the Lambda's Allow policy lists every route the token may call.
              authorizerResultTtlInSeconds: input.scopeChecker.resultTtlSeconds,
            },
          },
        }
      : {}),
    // Required on metered methods; with key source AUTHORIZER the value is the scope checker's
    // usageIdentifierKey, and a caller's x-api-key header is ignored.
    ...(input.usagePlans ? { [API_KEY_SCHEME]: { type: "apiKey", name: "x-api-key", in: "header" } } : {}),
  };
}

/** API Gateway's own 401 and 403, OAuth-shaped: a JSON body and an RFC 6750 challenge. */
function gatewayResponses(realm: string, denyReasons: boolean): JsonObject {
  const body = { "application/json": '{"message":$context.error.messageString}' };
  const deniedBody = denyReasons ? { "application/json": '{"message":$context.error.messageString,"reason":"$context.authorizer.denyReason"}' } : body;
  // Header values in gateway responses are static strings, single-quoted for API Gateway.
  const challenge = (value: string) => ({ "gatewayresponse.header.WWW-Authenticate": `'${value}'` });
  return {
    UNAUTHORIZED: { statusCode: 401, responseParameters: challenge(unauthorizedChallenge(realm)), responseTemplates: body },
    ACCESS_DENIED: { statusCode: 403, responseParameters: challenge(insufficientScopeChallenge(realm)), responseTemplates: deniedBody },
  };
}

/**
 * Partners with fixed egress IPs: calls from any other source are denied before an authorizer
 * runs. `execute-api:/*` is API Gateway's shorthand for this API's own ARN (no self-reference).
 * Without an allow-list the document has no policy, and overwrite mode removes any previous one.
 */
function sourceIpPolicy(allowedSourceIps: readonly string[]): JsonObject {
  const invoke = { Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AllowInvoke", Effect: "Allow", ...invoke },
      { Sid: "DenyOtherSources", Effect: "Deny", ...invoke, Condition: { NotIpAddress: { "aws:SourceIp": [...allowedSourceIps] } } },
    ],
  };
}

export function restApiDefinition(input: RestApiDefinitionInput): JsonObject {
  // Sorted by path, then by method: the document (and its hash) does not depend on route order.
  const routes = [...input.routes].sort((a, b) => {
    const [pa, pb] = [pathKeyOf(a.path), pathKeyOf(b.path)];
    return pa < pb ? -1 : pa > pb ? 1 : a.method < b.method ? -1 : a.method > b.method ? 1 : 0;
  });
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const key = pathKeyOf(route.path);
    paths[key] ??= {};
    paths[key][operationKey(route)] = operationOf(route, input);
  }
  return {
    openapi: "3.0.1",
    info: { title: input.title, description: input.description, version: "1" },
    ...(input.customDomain === undefined
      ? {}
      : { servers: [{ url: input.customDomain.url, "x-amazon-apigateway-endpoint-configuration": { disableExecuteApiEndpoint: input.customDomain.disableExecuteApiEndpoint } }] }),
    paths,
    components: { securitySchemes: securitySchemes(input) },
    "x-amazon-apigateway-gateway-responses": gatewayResponses(input.realm, input.denyReasons ?? false),
    ...(input.allowedSourceIps.length > 0 ? { "x-amazon-apigateway-policy": sourceIpPolicy(input.allowedSourceIps) } : {}),
    ...(input.usagePlans ? { "x-amazon-apigateway-api-key-source": "AUTHORIZER" } : {}),
  };
}
