/**
 * A route's backend, offline, after its authorizer allowed the call:
 * - mock: the configured answer (mock-integration.ts);
 * - lambda: the handler from this repository, run in-process from its TypeScript source, with
 *   the REST proxy event and the identity the real authorizer gives (`requestContext.authorizer`);
 *   its result mapped as API Gateway maps it (a malformed result or a throw is 502);
 * - http: the request proxied to the backend's URL (or its local override), path parameters
 *   in the URL's placeholders, the query string passed on, and `X-M2M-Client-Id` /
 *   `X-M2M-Scopes` stripped from what the caller sent and set from the authorizer's result,
 *   as the deployed integration's mapping does; past the timeout, 504;
 * - lambda-arn: an existing function in AWS cannot run offline: 502 and a note on stderr.
 */
import * as path from "node:path";
import type { RestProxyHandler, RestProxyResult } from "../backends/proxy-types";
import { IDENTITY_HEADERS } from "../model/backends";
import { PROJECT_ROOT } from "../model/handler-exports";
import type { BackendFunction, Route } from "../model/model-types";
import { identityHeaderValues, authorizerContextOf, type CallerIdentity } from "./caller-identity";
import { rootCertificates } from "node:tls";
import { tlsFetch } from "../client/tls-fetch";
import type { FetchLike } from "../client/token-client";
import { jsonResponse, type LocalRequest, type LocalResponse } from "./http-types";
import { mockIntegration } from "./mock-integration";
import { headerPairs, restProxyEvent } from "./proxy-event";

export interface BackendCall {
  readonly request: LocalRequest;
  readonly route: Route;
  readonly apiPath: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly identity: CallerIdentity;
}

export interface BackendIntegrationsOptions {
  readonly functions: readonly BackendFunction[];
  readonly restApiId: string;
  readonly stageName: string;
  /** URL overrides for HTTP routes, by route key (`post_orders`), e.g. a stub on 127.0.0.1. */
  readonly backendUrls?: ReadonlyMap<string, string>;
  /** Where a one-line note goes when a backend fails (never a header, body or event). @default stderr */
  readonly log?: (line: string) => void;
  /**
   * The certificate the stage presents to HTTP backends (API Gateway's client certificate), used
   * on https backends; `ca`: CAs trusted for their server certificates besides the system's.
   */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string; readonly ca?: string };
}

export interface BackendIntegrations {
  invoke(call: BackendCall): Promise<LocalResponse>;
}

/** API Gateway's answer when the integration fails (a malformed Lambda result, a Lambda error, an unreachable backend). */
const badGateway = (): LocalResponse => jsonResponse(502, { message: "Internal server error" });
/** API Gateway's answer when the integration does not answer within its timeout. */
const integrationTimeout = (): LocalResponse => jsonResponse(504, { message: "Endpoint request timed out" });

/** Headers a proxy never forwards (hop-by-hop, or recomputed for the new connection). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "expect", "host", "content-length", "te", "trailer", "proxy-connection"]);
const IDENTITY_HEADER_NAMES = new Set(Object.values(IDENTITY_HEADERS).map((h) => h.toLowerCase()));
/** Response headers that describe the upstream connection or encoding `fetch` already undid. */
const UPSTREAM_ONLY = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"]);

class LambdaTimeout extends Error {}

/** `<name>: <first line of the message>`, for errors of any realm. */
function describeError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  if (typeof e?.message !== "string") return "a non-error was thrown";
  return `${typeof e.name === "string" ? e.name : "Error"}: ${e.message.split("\n")[0]}`;
}

/** The URL with the route's path parameters in its placeholders (greedy values keep their `/`) and the query string. */
function targetUrl(base: string, pathParameters: Readonly<Record<string, string>>, query: URLSearchParams): string {
  const filled = base.replace(/\{([^{}]+)\}/g, (_, name: string) => (pathParameters[name] ?? "").split("/").map(encodeURIComponent).join("/"));
  const search = query.toString();
  return search === "" ? filled : `${filled}?${search}`;
}

/** The caller's headers minus hop-by-hop and identity headers, then the identity from the authorizer. */
function forwardedHeaders(rawHeaders: readonly string[], identity: CallerIdentity): Headers {
  const headers = new Headers();
  for (const [name, value] of headerPairs(rawHeaders)) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || IDENTITY_HEADER_NAMES.has(lower)) continue;
    headers.append(name, value);
  }
  const values = identityHeaderValues(identity);
  headers.set(IDENTITY_HEADERS.clientId, values.clientId);
  headers.set(IDENTITY_HEADERS.scopes, values.scopes);
  return headers;
}

/** A Lambda proxy result as API Gateway turns it into a response; undefined when it is malformed. */
function responseOfProxyResult(result: unknown): LocalResponse | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as RestProxyResult;
  if (!Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== "string") return undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(r.multiValueHeaders ?? {})) {
    if (Array.isArray(values)) headers[name.toLowerCase()] = values.map(String).join(", ");
  }
  const body = typeof r.body === "string" ? (r.isBase64Encoded ? Buffer.from(r.body, "base64").toString("utf8") : r.body) : "";
  if (headers["content-type"] === undefined) headers["content-type"] = "application/json";
  return { status: r.statusCode, headers, body };
}

export function createBackendIntegrations(options: BackendIntegrationsOptions): BackendIntegrations {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const functions = new Map(options.functions.map((f) => [f.key, f]));
  const handlers = new Map<string, RestProxyHandler>();

  /** Loads the handler from source on first use (its cold start), as Lambda loads the bundle. */
  function handlerOf(fn: BackendFunction): RestProxyHandler {
    let handler = handlers.get(fn.key);
    if (!handler) {
      // The compiled entry points run as plain JavaScript: the handler is TypeScript source
      // (bin/ts-require.js; under jest the transform handles .ts already). Node 22's own type
      // stripping would not resolve the handler's extensionless relative imports.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if (require.extensions[".ts"] === undefined) (require(path.join(PROJECT_ROOT, "bin", "ts-require")) as { install(): void }).install();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = (require(path.join(PROJECT_ROOT, fn.file)) as Record<string, unknown>)[fn.exportName];
      if (typeof exported !== "function") throw new TypeError(`${fn.file} exports ${fn.exportName}, but it is not a function`);
      handler = exported as RestProxyHandler;
      handlers.set(fn.key, handler);
    }
    return handler;
  }

  async function invokeLambda(fn: BackendFunction, call: BackendCall): Promise<LocalResponse> {
    const event = restProxyEvent({ ...call, restApiId: options.restApiId, stageName: options.stageName, authorizer: authorizerContextOf(call.identity) });
    let timer: NodeJS.Timeout | undefined;
    try {
      const handler = handlerOf(fn);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new LambdaTimeout()), fn.timeoutSeconds * 1000);
      });
      const result = await Promise.race([Promise.resolve().then(() => handler(event, { functionName: fn.key, awsRequestId: event.requestContext.requestId })), timeout]);
      const response = responseOfProxyResult(result);
      if (!response) {
        log(`m2m local: ${fn.file}#${fn.exportName} returned a malformed proxy result (needs a whole statusCode and a string body): 502`);
        return badGateway();
      }
      return response;
    } catch (error) {
      const what = error instanceof LambdaTimeout ? `timed out after ${fn.timeoutSeconds} s` : `failed: ${describeError(error)}`;
      log(`m2m local: ${fn.file}#${fn.exportName} ${what}: 502`);
      return badGateway();
    } finally {
      clearTimeout(timer);
    }
  }

  // As the stage does, the proxy presents its client certificate to https backends.
  const certificate = options.clientCertificate;
  const upstreamFetch: FetchLike = certificate
    ? tlsFetch({ cert: certificate.certPem, key: certificate.keyPem, ca: [...rootCertificates, ...(certificate.ca ? [certificate.ca] : [])].join("\n") })
    : (input, init) => fetch(input, init);
  const httpsOnly = (fetchImpl: FetchLike): FetchLike => (input, init) => (String(input).startsWith("https:") ? fetchImpl(input, init) : fetch(input, init));

  async function proxyHttp(base: string, timeoutMs: number, call: BackendCall): Promise<LocalResponse> {
    const { request } = call;
    const url = targetUrl(base, call.pathParameters, request.query);
    let upstream: Response;
    let body: string;
    try {
      upstream = await httpsOnly(upstreamFetch)(url, {
        method: request.method,
        headers: forwardedHeaders(request.rawHeaders, call.identity),
        ...(request.body.length > 0 && request.method !== "GET" && request.method !== "HEAD" ? { body: request.body } : {}),
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await upstream.text();
    } catch (error) {
      // Checked by name: the abort reason is a DOMException, which need not be an Error of this realm.
      const name = (error as { name?: unknown } | null)?.name;
      const timedOut = name === "TimeoutError" || name === "AbortError";
      log(`m2m local: ${call.route.method} ${call.route.path} backend ${timedOut ? `timed out after ${timeoutMs} ms: 504` : "unreachable: 502"}`);
      return timedOut ? integrationTimeout() : badGateway();
    }
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!UPSTREAM_ONLY.has(name)) headers[name] = value;
    });
    return { status: upstream.status, headers, body };
  }

  return {
    async invoke(call) {
      const backend = call.route.backend;
      switch (backend.type) {
        case "mock":
          return mockIntegration(call.route, call.request);
        case "lambda":
          return invokeLambda(functions.get(backend.functionKey)!, call);
        case "http":
          return proxyHttp(options.backendUrls?.get(call.route.key) ?? backend.localUrl ?? backend.url, backend.timeoutMs, call);
        case "lambda-arn": {
          const override = options.backendUrls?.get(call.route.key);
          if (override) return proxyHttp(override, 29_000, call);
          log(`m2m local: ${call.route.method} ${call.route.path} is served by ${backend.functionArn}, which cannot run offline (give it a local URL with --backend-url): 502`);
          return badGateway();
        }
      }
    },
  };
}
