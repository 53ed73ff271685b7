/**
 * The smoke matrix: every route of every API without a token, and every route with every
 * client's token (one token per client, carrying its scopes on every API), each answer compared
 * with what the model's access rules say it must be: a client with scopes on one API only is
 * refused on the others' routes.
 */
import { allRoutes } from "../model/apis";
import type { Environment, M2MModel, Route } from "../model/model-types";
import { OAuthError, TokenClientError } from "./errors";
import { expectationFor, expectationWithoutToken, sampleMethod, samplePath, sampleRequest, type Expectation } from "./smoke-expectations";
import { createTokenClient, type FetchLike } from "./token-client";

export interface SmokeCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface SmokeTarget {
  /** Each API's stage base URL, without a trailing slash, by API name; an API missing here fails its checks. */
  readonly apiUrls: ReadonlyMap<string, string>;
  readonly tokenEndpoint: string;
  /** Credentials by client name; a missing client fails its checks. */
  readonly credentials: ReadonlyMap<string, SmokeCredentials>;
  /**
   * Clients the target has cut off: a deployed disabled client has no app client, and its
   * Secrets Manager secret says `{"disabled": true}` instead of holding credentials. That is
   * the refusal the model asks of a disabled client; for an enabled one it is a mismatch.
   */
  readonly cutOffClients?: ReadonlySet<string>;
}

export interface SmokeCheck {
  readonly route: Route;
  /** Client name; undefined for the check without a token. */
  readonly client: string | undefined;
  readonly expected: Expectation;
  /** `HTTP 200`, `token refused: invalid_client (HTTP 400)`, `no credentials`, ... */
  readonly actual: string;
  readonly passed: boolean;
}

export interface SmokeReport {
  readonly checks: readonly SmokeCheck[];
  readonly failed: number;
}

export interface SmokeOptions {
  readonly model: M2MModel;
  readonly environment: Environment;
  readonly target: SmokeTarget;
  readonly fetch?: FetchLike;
  /** Passed to each token client, e.g. a fast retry policy in tests. */
  readonly tokenClientRetry?: { readonly maxAttempts?: number };
}

/** `errorType` is API Gateway's `x-amzn-errortype`, present on its own answers (gateway responses), absent on a backend's. */
type CallResult = { status: number; body: unknown; errorType: string | null };

/** What the token endpoint's refusal was, and whether it is an OAuth error answer (a 4xx with an `error` field). */
function describeTokenFailure(error: TokenClientError): { actual: string; oauthRefusal: boolean } {
  if (error instanceof OAuthError && error.status >= 400 && error.status <= 499) {
    return { actual: `token refused: ${error.code} (HTTP ${error.status})`, oauthRefusal: true };
  }
  return { actual: error.message, oauthRefusal: false };
}

const CUT_OFF = "cut off: no app client (secret says disabled)";

/** Statuses that carry no body by definition (RFC 9110): nothing to compare. */
const BODYLESS_STATUSES = new Set([204, 205, 304]);

/** JSON value equality (key order and object prototypes do not matter). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => sameJson(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const { model, environment, target } = options;
  const fetchImpl: FetchLike = options.fetch ?? ((i, n) => fetch(i, n));
  const checks: SmokeCheck[] = [];

  async function call(route: Route, token: string | undefined): Promise<CallResult | undefined> {
    const apiUrl = target.apiUrls.get(route.api);
    if (apiUrl === undefined) return undefined;
    const method = sampleMethod(route.method);
    const sample = sampleRequest(method);
    const response = await fetchImpl(`${apiUrl}${samplePath(route.path)}`, {
      method,
      headers: token === undefined ? sample.headers : { ...sample.headers, authorization: `Bearer ${token}` },
      ...(sample.body === undefined ? {} : { body: sample.body }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      // Not JSON: kept as text, and an allowed call then fails its body comparison.
    }
    return { status: response.status, body, errorType: response.headers.get("x-amzn-errortype") };
  }

  function judge(route: Route, expected: Expectation, result: CallResult | undefined): { actual: string; passed: boolean } {
    if (result === undefined) return { actual: "no URL for this API", passed: false };
    const actual = `HTTP ${result.status}`;
    if (expected.kind === "backend") {
      if (result.errorType !== null) return { actual: `${actual} (${result.errorType})`, passed: false };
      return { actual, passed: result.status < 500 };
    }
    if (expected.kind !== "status" || result.status !== expected.status) return { actual, passed: false };
    // An allowed call must reach the mock integration: its configured body, not a gateway answer.
    if (expected.reason === "allowed" && route.method !== "HEAD" && !BODYLESS_STATUSES.has(result.status) && !sameJson(result.body, route.response.body)) {
      return { actual: `${actual}, unexpected body`, passed: false };
    }
    return { actual, passed: true };
  }

  const routes = allRoutes(model);
  for (const route of routes) {
    const expected = expectationWithoutToken();
    checks.push({ route, client: undefined, expected, ...judge(route, expected, await call(route, undefined)) });
  }

  for (const client of environment.clients) {
    const expectations = routes.map((route) => ({ route, expected: expectationFor(client, route, environment.clients, routes) }));
    if (target.cutOffClients?.has(client.name)) {
      for (const { route, expected } of expectations) checks.push({ route, client: client.name, expected, actual: CUT_OFF, passed: expected.kind === "token-refused" });
      continue;
    }
    const credentials = target.credentials.get(client.name);
    if (!credentials) {
      for (const { route, expected } of expectations) checks.push({ route, client: client.name, expected, actual: "no credentials", passed: false });
      continue;
    }
    const tokens = createTokenClient({
      tokenEndpoint: target.tokenEndpoint,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      fetch: fetchImpl,
      ...(options.tokenClientRetry ? { retry: options.tokenClientRetry } : {}),
    });
    let token: string | undefined;
    let tokenFailure: { actual: string; oauthRefusal: boolean } | undefined;
    try {
      token = await tokens.getToken();
    } catch (error) {
      if (!(error instanceof TokenClientError)) throw error;
      tokenFailure = describeTokenFailure(error);
    }
    for (const { route, expected } of expectations) {
      if (tokenFailure !== undefined) {
        // Any OAuth error answer is a refusal; an unreachable or broken endpoint is not.
        const passed = expected.kind === "token-refused" && tokenFailure.oauthRefusal;
        checks.push({ route, client: client.name, expected, actual: tokenFailure.actual, passed });
      } else if (expected.kind === "token-refused") {
        checks.push({ route, client: client.name, expected, actual: "token issued", passed: false });
      } else {
        checks.push({ route, client: client.name, expected, ...judge(route, expected, await call(route, token!)) });
      }
    }
  }

  return { checks, failed: checks.filter((c) => !c.passed).length };
}

function describeExpectation(expected: Expectation): string {
  if (expected.kind === "backend") return "backend answers (allowed)";
  return expected.kind === "status" ? `${expected.status} (${expected.reason})` : `token refused (${expected.reason})`;
}

/** A plain-text table, one line per check, and a summary line; an API column when the checks span several APIs. */
export function formatSmokeTable(report: SmokeReport): string {
  const severalApis = new Set(report.checks.map((c) => c.route.api)).size > 1;
  const rows = report.checks.map((c) => [
    ...(severalApis ? [c.route.api] : []),
    `${c.route.method} ${c.route.path}`, c.client ?? "(no token)", describeExpectation(c.expected), c.actual, c.passed ? "ok" : "MISMATCH",
  ]);
  const header = [...(severalApis ? ["API"] : []), "ROUTE", "CLIENT", "EXPECTED", "ACTUAL", "RESULT"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ");
  const summary = `${report.checks.length} checks, ${report.checks.length - report.failed} passed, ${report.failed} failed`;
  return [line(header), ...rows.map(line), summary].join("\n");
}
