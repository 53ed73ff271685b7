/**
 * The Lambda's configuration, read from the environment variables the ScopeChecker construct
 * sets. All of it is checked here, at cold start, so a bad deployment fails closed with one
 * clear log line instead of misbehaving per request.
 *
 *   USER_POOL_ID        `<region>_<id>`
 *   RESOURCE_SERVER_ID  the resource server identifier (scope prefix)
 *   CLIENT_IDS          JSON array of allowed client ids, e.g. `["abc123"]`
 *   ROUTES              JSON array of `{"method","path","scopes":[scope NAMES]}`; the full
 *                       scope identifier is `${RESOURCE_SERVER_ID}/${name}`
 *   JWKS_URI            optional; where to load the pool's keys from. Default: the pool's
 *                       Cognito JWKS. Only https, or http on loopback (tests, local runs).
 */
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { ScopeCheckerConfigError } from "./errors";
import { compileRouteTable, type RouteSpec } from "./route-table";
import type { ScopeCheckerOptions } from "./scope-checker";

export interface LambdaSettings {
  readonly options: ScopeCheckerOptions;
  readonly jwksUri: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const NO_WHITESPACE = /^\S+$/;

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") throw new ScopeCheckerConfigError(name, "is not set");
  return value.trim();
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ScopeCheckerConfigError(name, "is not valid JSON");
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value !== "" && NO_WHITESPACE.test(value);
}

function readClientIds(env: Environment): string[] {
  const ids = parseJson("CLIENT_IDS", required(env, "CLIENT_IDS"));
  if (!Array.isArray(ids) || !ids.every(isNonEmptyString)) {
    throw new ScopeCheckerConfigError("CLIENT_IDS", "must be a JSON array of client id strings");
  }
  return ids;
}

function readRoutes(env: Environment, resourceServerId: string): RouteSpec[] {
  const routes = parseJson("ROUTES", required(env, "ROUTES"));
  if (!Array.isArray(routes)) throw new ScopeCheckerConfigError("ROUTES", "must be a JSON array of routes");
  return routes.map((route: unknown, i) => {
    const { method, path, scopes } = (typeof route === "object" && route !== null ? route : {}) as Record<string, unknown>;
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every(isNonEmptyString)) {
      throw new ScopeCheckerConfigError(`ROUTES[${i}]`, "scopes must be a non-empty array of scope names");
    }
    return { method: method as string, path: path as string, scopes: scopes.map((name) => `${resourceServerId}/${name}`) };
  });
}

function readJwksUri(env: Environment, userPoolId: string): string {
  const configured = env.JWKS_URI?.trim();
  if (!configured) return CognitoJwtVerifier.parseUserPoolId(userPoolId).jwksUri;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new ScopeCheckerConfigError("JWKS_URI", "is not a URL");
  }
  const loopbackHttp = url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !loopbackHttp) throw new ScopeCheckerConfigError("JWKS_URI", "must be https (or http on 127.0.0.1/localhost)");
  return url.href;
}

/** Reads and checks the environment; throws ScopeCheckerConfigError naming the variable. */
export function readLambdaEnvironment(env: Environment): LambdaSettings {
  const userPoolId = required(env, "USER_POOL_ID");
  try {
    CognitoJwtVerifier.parseUserPoolId(userPoolId);
  } catch {
    throw new ScopeCheckerConfigError("USER_POOL_ID", "is not a Cognito user pool id");
  }
  const resourceServerId = required(env, "RESOURCE_SERVER_ID");
  if (!NO_WHITESPACE.test(resourceServerId)) throw new ScopeCheckerConfigError("RESOURCE_SERVER_ID", "must not contain whitespace");
  const clientIds = readClientIds(env);
  const routes = readRoutes(env, resourceServerId);
  // Validate the routes now (method, path, scopes): a bad table must fail before the JWKS is fetched.
  compileRouteTable(routes);
  return { options: { userPoolId, clientIds, routes }, jwksUri: readJwksUri(env, userPoolId) };
}
