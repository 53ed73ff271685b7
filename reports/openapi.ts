/**
 * `openapi.json`: an OpenAPI 3.1 description of one environment's API, as deployed: the
 * server is the stage's invoke URL (a server variable stands for the REST API id), the
 * security scheme is the Cognito client-credentials flow, and every operation states the
 * scopes its authorizer requires and the response its mock integration gives.
 */
import { createHash } from "node:crypto";
import { insufficientScopeChallenge, unauthorizedChallenge } from "../model/oauth-challenges";
import { parsePath, segmentText } from "../model/paths";
import type { HttpMethod } from "../model/config-types";
import { backendShortText, countOf, DISABLED_CLIENT_NOTE, requirementText, plain } from "./access-wording";
import { REST_API_ID_PLACEHOLDER, type EnvironmentAccess, type RouteAccess } from "./environment-access";

export const OPENAPI_VERSION = "3.1.0";
/** Name of the OAuth 2.0 security scheme in `components.securitySchemes`. */
export const SECURITY_SCHEME = "cognitoClientCredentials";
/** The server variable that stands for the REST API id ({@link REST_API_ID_PLACEHOLDER} without braces). */
export const REST_API_ID_VARIABLE = REST_API_ID_PLACEHOLDER.slice(1, -1);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
type JsonObject = { [key: string]: Json | undefined };

/** API Gateway's ANY: every method OpenAPI can describe, except those the path defines itself. */
const ANY_EXPANSION = ["get", "put", "post", "delete", "options", "head", "patch"] as const;

/** `/files/{proxy+}` -> `/files/{proxy}`: OpenAPI templates name the parameter without `+`. */
function openApiPath(path: string): { path: string; parameters: JsonObject[] } {
  const parsed = parsePath(path);
  if ("problem" in parsed) throw new Error(`invalid path ${path}: ${parsed.problem}`); // validated config: cannot happen
  const parameters: JsonObject[] = [];
  const parts = parsed.segments.map((s) => {
    if (s.kind === "literal") return segmentText(s);
    parameters.push({
      name: s.name,
      in: "path",
      required: true,
      schema: { type: "string" },
      description: s.greedy ? "Greedy: the rest of the path, `/` included (API Gateway `{" + s.name + "+}`)." : `Path parameter \`${s.name}\`.`,
    });
    return `{${s.name}}`;
  });
  return { path: `/${parts.join("/")}`, parameters };
}

function methodsOf(method: HttpMethod, explicit: ReadonlySet<string>): string[] {
  return method === "ANY" ? ANY_EXPANSION.filter((m) => !explicit.has(m)) : [method.toLowerCase()];
}

function securityOf(route: RouteAccess, identifier: (scope: string) => string): JsonObject[] {
  // OpenAPI lists alternatives as separate requirement objects (OR) and scopes within one as AND.
  return route.scopeMatch === "any-of"
    ? route.scopes.map((s) => ({ [SECURITY_SCHEME]: [identifier(s)] }))
    : [{ [SECURITY_SCHEME]: route.scopes.map(identifier) }];
}

/** 403 comes from the scope checker's Deny, the source-IP policy or WAF: only where one of them guards the route. */
function forbiddenPossible(access: EnvironmentAccess, route: RouteAccess): boolean {
  return route.authorizer === "scope-checker" || access.guards.allowedSourceIps.length > 0 || access.guards.wafRateLimitPer5Minutes !== undefined;
}

function forbiddenDescription(access: EnvironmentAccess): string {
  const causes: string[] = [];
  if (access.routes.some((r) => r.authorizer === "scope-checker")) causes.push("on scope-checker routes, the token lacks one of the route's scopes (the checker's Deny)");
  if (access.guards.allowedSourceIps.length > 0) causes.push(`the call comes from outside the allowed source IPs (${access.guards.allowedSourceIps.join(", ")})`);
  if (access.guards.wafRateLimitPer5Minutes !== undefined) causes.push(`the source IP sent more than ${access.guards.wafRateLimitPer5Minutes} requests in 5 minutes (WAF)`);
  return `Refused: ${causes.join("; or ")}.`;
}

function operationOf(access: EnvironmentAccess, route: RouteAccess, method: string, parameters: JsonObject[], identifier: (scope: string) => string): JsonObject {
  const mockContent = method === "head" || route.response.status === 204 || route.response.status === 304
    ? {}
    : { content: { "application/json": { example: route.response.body as Json } } };
  const allowed = route.allowedClients.length === 0 ? "none" : route.allowedClients.join(", ");
  return {
    operationId: route.method === "ANY" ? `${route.key}_${method}` : route.key,
    summary: route.description ?? route.id,
    description:
      `${route.id}. Requires ${requirementText(route.scopeMatch, route.scopes, plain)} ` +
      `(${route.authorizer === "scope-checker" ? "Lambda scope checker: every scope, enabled client" : "Cognito authorizer: any one scope"}). ` +
      `Clients allowed in ${access.environment}: ${allowed}.`,
    ...(parameters.length > 0 ? { parameters } : {}),
    security: securityOf(route, identifier),
    responses: {
      "401": { $ref: "#/components/responses/Unauthorized" },
      ...(forbiddenPossible(access, route) ? { "403": { $ref: "#/components/responses/Forbidden" } } : {}),
      "429": { $ref: "#/components/responses/TooManyRequests" },
      ...(route.backend.type === "mock"
        ? { [String(route.response.status)]: { description: "The mock integration's response.", ...mockContent } }
        : { default: { description: `The backend's response (${backendShortText(route.backend, plain)}).` } }),
    },
    "x-m2m-backend": { ...route.backend },
    "x-m2m-authorizer": route.authorizer,
    "x-m2m-scope-match": route.scopeMatch,
    "x-m2m-allowed-clients": [...route.allowedClients],
    "x-m2m-throttling": { ...route.throttling },
  };
}

function pathsOf(access: EnvironmentAccess, identifier: (scope: string) => string): JsonObject {
  const explicit = new Map<string, Set<string>>();
  for (const r of access.routes) {
    if (r.method !== "ANY") explicit.set(r.path, (explicit.get(r.path) ?? new Set()).add(r.method.toLowerCase()));
  }
  const paths: Record<string, JsonObject> = {};
  for (const route of access.routes) {
    const { path, parameters } = openApiPath(route.path);
    const item = (paths[path] ??= {});
    for (const method of methodsOf(route.method, explicit.get(route.path) ?? new Set())) {
      item[method] = operationOf(access, route, method, parameters, identifier);
    }
  }
  return paths;
}

/** The OpenAPI document of one environment. Deterministic: the same config gives the same bytes. */
export function buildOpenApi(access: EnvironmentAccess): JsonObject {
  const identifier = (name: string) => access.scopes.find((s) => s.name === name)?.identifier ?? name;
  const scopes: Record<string, string> = {};
  for (const s of access.scopes) scopes[s.identifier] = s.description;

  const body = {
    servers: access.edge ? [{ url: access.invokeUrlTemplate, description: `The API on its custom domain (${access.edge.truststoreFiles ? "mutual TLS: present a client certificate from a trusted CA" : "TLS 1.2 or later"}).` }] : [
      {
        url: access.invokeUrlTemplate,
        description:
          `Stage ${access.stageName} in ${access.region}. ${REST_API_ID_VARIABLE} is the REST API id AWS assigned on the first apply ` +
          "(the host part of `terraform output invoke_url`).",
        // The explanation sits in the server's description: the OpenAPI 3.1 JSON schema that validators
        // bundle misspells the server variable's `description` field and rejects it.
        variables: { [REST_API_ID_VARIABLE]: { default: "rest-api-id" } },
      },
    ],
    paths: pathsOf(access, identifier),
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: "oauth2",
          description:
            `Amazon Cognito, OAuth 2.0 client credentials. Post \`grant_type=client_credentials\` with HTTP Basic client authentication ` +
            `to the token URL; \`scope\` is a space-separated list of full scope identifiers (below). ` +
            `In them, ${REST_API_ID_PLACEHOLDER} is the REST API id (as in the server URL); terraform output \`scopes\` and each client's ` +
            `Secrets Manager secret list them resolved. Cache the token until shortly before it expires. ${DISABLED_CLIENT_NOTE}`,
          flows: { clientCredentials: { tokenUrl: access.tokenEndpoint, scopes } },
        },
      },
      responses: {
        Unauthorized: {
          description:
            "No bearer token, or one that is malformed, expired or not issued by this environment's user pool. " +
            "On Cognito routes API Gateway also answers 401 to a token that carries none of the route's scopes; on scope-checker routes, " +
            "to a token whose client is not on the checker's allow-list (cut off, removed, or granted no scope-checker route).",
          headers: { "WWW-Authenticate": { $ref: "#/components/headers/UnauthorizedChallenge" } },
          content: { "application/json": { schema: { $ref: "#/components/schemas/GatewayError" }, example: { message: "Unauthorized" } } },
        },
        ...(access.routes.some((r) => forbiddenPossible(access, r))
          ? {
              Forbidden: {
                description: forbiddenDescription(access),
                headers: { "WWW-Authenticate": { $ref: "#/components/headers/InsufficientScopeChallenge" } },
                content: { "application/json": { schema: { $ref: "#/components/schemas/GatewayError" } } },
              },
            }
          : {}),
        TooManyRequests: {
          description:
            `Throttled by API Gateway: the stage allows ${access.guards.throttling.rateLimit} requests/s (burst ${access.guards.throttling.burstLimit}); ` +
            "some routes set their own limits (x-m2m-throttling). Retry with backoff.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/GatewayError" }, example: { message: "Too Many Requests" } } },
        },
      },
      headers: {
        // Exactly what the stack's gateway responses send (constructs/gateway-responses.ts): static values.
        UnauthorizedChallenge: {
          description:
            "RFC 6750 challenge of every 401. API Gateway sends one static value whatever the cause, so it names no `error`: " +
            "fetch a new token (or check the client's credentials and scopes).",
          required: true,
          schema: { type: "string", const: unauthorizedChallenge(access.apiName) },
        },
        ...(access.routes.some((r) => forbiddenPossible(access, r))
          ? {
              InsufficientScopeChallenge: {
                description:
                  "RFC 6750 challenge of API Gateway's ACCESS_DENIED answer (the scope checker's Deny, the source-IP policy): " +
                  "the token lacks a scope the route requires, or the source is not allowed. A WAF block comes without it.",
                schema: { type: "string", const: insufficientScopeChallenge(access.apiName) },
              },
            }
          : {}),
      },
      schemas: {
        GatewayError: { type: "object", properties: { message: { type: "string" } } },
      },
    },
  } satisfies JsonObject;

  // The version changes exactly when the described API changes, with no clock involved.
  const version = createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 12);
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: `${access.apiName} (${access.environment})`,
      version,
      description:
        `Machine-to-machine API, environment ${access.environment}: ${countOf(access.routes.length, "route")}, ` +
        `${countOf(access.clients.length, "client")}. Every operation needs an access token from the client-credentials flow.`,
    },
    ...body,
  };
}
