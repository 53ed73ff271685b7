/**
 * Route backends, the pure part: handler references (`<file>#<export>`), the function each
 * names, the method ARN pattern an invoke permission is scoped to, the identity headers an HTTP
 * backend receives, and the URL rules. No file system and no cdktf: the constructs, the offline
 * environment, the reports and the validator all read these.
 */
import { posix } from "node:path";
import { parsePath } from "./paths";

/** API Gateway stops waiting for any integration after 29 s. */
export const INTEGRATION_TIMEOUT_MAX_MS = 29_000;
export const INTEGRATION_TIMEOUT_MIN_MS = 50;

export const LAMBDA_BACKEND_DEFAULTS = { memoryMb: 256, timeoutSeconds: 10 } as const;

/**
 * The headers API Gateway sets on requests to an HTTP backend from the authorizer's result.
 * The integration's mapping overrides whatever the caller sent under these names, and the
 * offline environment strips and sets them the same way, so the values cannot be forged.
 */
export const IDENTITY_HEADERS = { clientId: "X-M2M-Client-Id", scopes: "X-M2M-Scopes" } as const;

/** `backends/payments.ts#handler`: a relative path to a .ts/.mts/.js/.mjs file, `#`, a JavaScript identifier. */
const HANDLER_REF = /^([^#\s]+\.(?:ts|mts|js|mjs))#([A-Za-z_$][\w$]*)$/;

export interface HandlerRef {
  /** Normalized, relative to the project root, `/`-separated. */
  readonly file: string;
  readonly exportName: string;
}

/** Parses `<file>#<export>`; returns the problem when it is not one. */
export function parseHandlerRef(ref: string): HandlerRef | { problem: string } {
  const match = HANDLER_REF.exec(ref);
  if (!match) return { problem: "must be <file>#<export>, e.g. backends/payments.ts#handler (a .ts, .mts, .js or .mjs file)" };
  const raw = match[1]!.replace(/\\/g, "/");
  if (raw.startsWith("/") || /^[A-Za-z]:\//.test(raw)) return { problem: "must name the file relative to the project root (absolute paths make the output machine-specific)" };
  const file = posix.normalize(raw);
  if (file === ".." || file.startsWith("../")) return { problem: "must name a file inside the project (no ..)" };
  return { file, exportName: match[2]! };
}

/**
 * The function's stable name part: the file without `backends/` and its extension, folded to
 * lowercase letters, digits and hyphens, then `-<export>` unless the export is `handler`.
 * `backends/payments.ts#handler` -> `payments`; `backends/orders/api.ts#list` -> `orders-api-list`.
 */
export function functionKeyOf(ref: HandlerRef): string {
  const stem = ref.file.replace(/^backends\//, "").replace(/\.(ts|mts|js|mjs)$/, "");
  const parts = ref.exportName === "handler" ? [stem] : [stem, ref.exportName.replace(/([a-z0-9])([A-Z])/g, "$1-$2")];
  return parts.join("-").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "") || "backend";
}

/** The Lambda function name a backend gets in one environment: `<api>-<env>-<key>` (AWS allows 64 characters). */
export function backendFunctionName(apiName: string, environment: string, key: string): string {
  return `${apiName}-${environment}-${key}`;
}

export const LAMBDA_FUNCTION_NAME_MAX = 64;

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]` */
export const LAMBDA_FUNCTION_ARN = /^arn:aws(?:-[a-z]+)*:lambda:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** The region of a function ARN (the one its invoke URI names). */
export function regionOfFunctionArn(arn: string): string | undefined {
  return LAMBDA_FUNCTION_ARN.exec(arn)?.[1];
}

/**
 * The part of a method ARN after `<execution_arn>/<stage>/` that an invoke permission allows:
 * `<METHOD>/<path>`, every `{param}` (greedy too) as `*` and `ANY` as `*`. `GET /orders/{id}` ->
 * `GET/orders/*`; `GET /` -> `GET/`.
 */
export function methodArnSuffix(method: string, path: string): string {
  const parsed = parsePath(path);
  if ("problem" in parsed) throw new Error(`route path ${path}: ${parsed.problem}`);
  const parts = parsed.segments.map((s) => (s.kind === "literal" ? s.text : "*"));
  return `${method === "ANY" ? "*" : method}/${parts.join("/")}`;
}

/** The route's path parameter names, greedy ones without their `+`. */
export function pathParameterNames(path: string): string[] {
  const parsed = parsePath(path);
  if ("problem" in parsed) return [];
  return parsed.segments.flatMap((s) => (s.kind === "parameter" ? [s.name] : []));
}

/** `{name}` placeholders in a backend URL. */
export function urlPlaceholders(url: string): string[] {
  return [...url.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** Why `url` cannot be an HTTP backend's URL (`https`, a host, no credentials, query or fragment), or undefined. */
export function backendUrlProblem(url: string, allowLoopbackHttp: boolean): string | undefined {
  // Placeholders are not valid URL characters; check the URL with them filled in.
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[^{}]*\}/g, "p"));
  } catch {
    return "must be an absolute URL such as https://orders.example.com/v1/orders/{id}";
  }
  const loopback = LOOPBACK_HOSTS.has(parsed.hostname);
  if (allowLoopbackHttp) {
    if (!loopback) return "must point at this machine (127.0.0.1, [::1] or localhost): it is where the offline environment sends the request";
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "must be an http or https URL";
  } else if (parsed.protocol !== "https:") {
    return "must use https (plain http would carry the caller's identity headers and data unencrypted)";
  }
  if (parsed.username !== "" || parsed.password !== "") return "must not carry credentials (user:password@): they would be in the synthesized JSON";
  if (parsed.search !== "" || url.includes("?")) return "must not have a query string (the caller's query string is passed on)";
  if (parsed.hash !== "" || url.includes("#")) return "must not have a fragment";
  if (url.slice(0, url.indexOf("//") + 2 + parsed.host.length).includes("{")) return "must not have placeholders in the host";
  return undefined;
}

/**
 * Environment variable names that say they hold a secret. Lambda environment variables are
 * readable by anyone who can read the function's configuration and sit in plain text in the
 * synthesized JSON and the state: secrets belong in Secrets Manager, read at run time.
 */
export const SECRET_LIKE_NAME = /SECRET|PASSW(OR)?D|TOKEN|PRIVATE_?KEY|API_?KEY|CREDENTIAL/i;

/**
 * Where a secret is, not a secret: a name ending in a locator (`TOKEN_ENDPOINT`,
 * `CLIENT_SECRET_ARN`, `API_KEY_ID`) points at something and holds no credential itself.
 */
const LOCATOR_SUFFIX = /_(ENDPOINT|URL|URI|ARN|ID|NAME)$/i;

/** Whether an environment variable's name says it holds a secret. */
export function isSecretLikeName(name: string): boolean {
  return SECRET_LIKE_NAME.test(name) && !LOCATOR_SUFFIX.test(name);
}

/** The role policy holding the statements a backend declares beyond its logs (the security rules look for it). */
export const DECLARED_PERMISSIONS_POLICY = "declared-permissions";

/** Names Lambda reserves for itself. */
export const RESERVED_ENVIRONMENT_NAME = /^(AWS_|LAMBDA_|_HANDLER$|_X_AMZN_TRACE_ID$)/;
