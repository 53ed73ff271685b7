/**
 * The Lambda's configuration: two small environment variables, and the access file that the
 * ScopeChecker construct publishes as a layer of the function (Terraform renders it, so the
 * allow-list holds client ids known only after apply, with no 4 KB environment limit; a change
 * of it is a new layer version and a function update).
 * All of it is read and checked here, once, at cold start (a local file: no network call),
 * so a bad deployment fails closed with one clear log line instead of misbehaving per request.
 *
 *   USER_POOL_ID        `<region>_<id>`
 *   RESOURCE_SERVER_ID  the resource server identifier (scope prefix)
 *   RESOURCE_SERVER_ALIASES  optional; other identifiers of the same scopes while they move
 *                       (invoke URL to custom domain), space separated: a token's scope under
 *                       one of them counts as the same scope under RESOURCE_SERVER_ID
 *   JWKS_URI            optional; where to load the pool's keys from. Default: the pool's
 *                       Cognito JWKS. Only https, or http on loopback (tests, local runs).
 *   ACCESS_FILE         optional (tests, local runs); the access file's path. Default:
 *                       /opt/access.json, where Lambda unpacks the function's layer.
 *
 * The access file (access-file.ts) is JSON:
 *   {"clientIds": [allowed client ids],
 *    "routes": [{"method","path","scopes":[scope NAMES], "requireBoundCertificate"?: true}],
 *    "bindings"?: [{"clientId", "subject"?, "sha256"?}]}   full scope = `${RESOURCE_SERVER_ID}/${name}`
 */
import { readFileSync } from "node:fs";
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { ACCESS_FILE_NAME, ACCESS_FILE_PATH } from "./access-file";
import { ScopeCheckerConfigError } from "./errors";
import { compileRouteTable, type RouteSpec } from "./route-table";
import type { ScopeCheckerOptions } from "./scope-checker";
import type { CertificateBinding } from "../../model/certificate-binding";

export interface LambdaSettings {
  readonly options: ScopeCheckerOptions;
  readonly jwksUri: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const NO_WHITESPACE = /^\S+$/;
const FINGERPRINT = /^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/;

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

function readClientIds(file: Record<string, unknown>): string[] {
  const ids = file.clientIds;
  if (!Array.isArray(ids) || !ids.every(isNonEmptyString)) {
    throw new ScopeCheckerConfigError(`${ACCESS_FILE_NAME} clientIds`, "must be a JSON array of client id strings");
  }
  return ids;
}

function readRoutes(file: Record<string, unknown>, resourceServerId: string): RouteSpec[] {
  const routes = file.routes;
  if (!Array.isArray(routes)) throw new ScopeCheckerConfigError(`${ACCESS_FILE_NAME} routes`, "must be a JSON array of routes");
  return routes.map((route: unknown, i) => {
    const { method, path, scopes } = (typeof route === "object" && route !== null ? route : {}) as Record<string, unknown>;
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every(isNonEmptyString)) {
      throw new ScopeCheckerConfigError(`${ACCESS_FILE_NAME} routes[${i}]`, "scopes must be a non-empty array of scope names");
    }
    const { requireBoundCertificate } = route as Record<string, unknown>;
    if (requireBoundCertificate !== undefined && requireBoundCertificate !== true) {
      throw new ScopeCheckerConfigError(`${ACCESS_FILE_NAME} routes[${i}]`, "requireBoundCertificate must be true or absent");
    }
    return { method: method as string, path: path as string, scopes: scopes.map((name) => `${resourceServerId}/${name}`), ...(requireBoundCertificate ? { requireBoundCertificate: true } : {}) };
  });
}

/** RESOURCE_SERVER_ALIASES: other identifiers of the API's scopes while they move, space separated. */
function readAliases(env: Environment, resourceServerId: string): { from: string; to: string }[] {
  const text = env.RESOURCE_SERVER_ALIASES?.trim();
  if (!text) return [];
  return text.split(/\s+/).map((from) => {
    if (from === resourceServerId || from.endsWith("/")) throw new ScopeCheckerConfigError("RESOURCE_SERVER_ALIASES", "must list identifiers other than RESOURCE_SERVER_ID, without a trailing /");
    return { from, to: resourceServerId };
  });
}

/** Clients bound to a certificate (absent from files of environments without bindings). */
function readBindings(file: Record<string, unknown>): ReadonlyMap<string, CertificateBinding> | undefined {
  const list = file.bindings;
  if (list === undefined) return undefined;
  const field = `${ACCESS_FILE_NAME} bindings`;
  if (!Array.isArray(list)) throw new ScopeCheckerConfigError(field, "must be a JSON array");
  const bindings = new Map<string, CertificateBinding>();
  list.forEach((entry: unknown, i) => {
    const { clientId, subject, sha256 } = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const valid = isNonEmptyString(clientId) && (subject === undefined || (typeof subject === "string" && subject !== "")) && (sha256 === undefined || (typeof sha256 === "string" && FINGERPRINT.test(sha256)));
    if (!valid || (subject === undefined && sha256 === undefined)) {
      throw new ScopeCheckerConfigError(`${field}[${i}]`, "must name a clientId and a subject, an upper-case colon-separated sha256, or both");
    }
    bindings.set(clientId, { ...(subject === undefined ? {} : { subject: subject as string }), ...(sha256 === undefined ? {} : { sha256: sha256 as string }) });
  });
  return bindings;
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

function accessFilePath(env: Environment): string {
  return env.ACCESS_FILE?.trim() || ACCESS_FILE_PATH;
}

/** The access file as an object; the problem names the file, never its contents. */
function readAccessFile(env: Environment, readText: (path: string) => string): Record<string, unknown> {
  let text: string;
  try {
    text = readText(accessFilePath(env));
  } catch (err) {
    if (err instanceof ScopeCheckerConfigError) throw err;
    throw new ScopeCheckerConfigError(ACCESS_FILE_NAME, "cannot be read");
  }
  const file = parseJson(ACCESS_FILE_NAME, text);
  if (typeof file !== "object" || file === null || Array.isArray(file)) throw new ScopeCheckerConfigError(ACCESS_FILE_NAME, "must be a JSON object");
  return file as Record<string, unknown>;
}

/**
 * Reads and checks the environment and the access file; throws ScopeCheckerConfigError naming
 * the variable or the file's field. `readText` reads the access file (tests may pass their own).
 */
export function readLambdaEnvironment(env: Environment, readText: (path: string) => string = (path) => readFileSync(path, "utf8")): LambdaSettings {
  const userPoolId = required(env, "USER_POOL_ID");
  try {
    CognitoJwtVerifier.parseUserPoolId(userPoolId);
  } catch {
    throw new ScopeCheckerConfigError("USER_POOL_ID", "is not a Cognito user pool id");
  }
  const resourceServerId = required(env, "RESOURCE_SERVER_ID");
  if (!NO_WHITESPACE.test(resourceServerId)) throw new ScopeCheckerConfigError("RESOURCE_SERVER_ID", "must not contain whitespace");
  const file = readAccessFile(env, readText);
  const clientIds = readClientIds(file);
  const routes = readRoutes(file, resourceServerId);
  const bindings = readBindings(file);
  const aliases = readAliases(env, resourceServerId);
  // Validate the routes now (method, path, scopes): a bad table must fail before the JWKS is
  // fetched. The handler reuses the compiled table (200 routes cost a cold start once, not twice).
  const routeTable = compileRouteTable(routes);
  return { options: { userPoolId, clientIds, routes, routeTable, ...(bindings ? { bindings } : {}), ...(aliases.length > 0 ? { scopeAliases: aliases } : {}) }, jwksUri: readJwksUri(env, userPoolId) };
}
