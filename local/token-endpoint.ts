/**
 * `POST /oauth2/token` for the client-credentials grant, answering like Cognito's token endpoint:
 * client authentication by HTTP Basic (client_secret_basic) or in the form body
 * (client_secret_post), `application/x-www-form-urlencoded` only, errors as `{"error": "<code>"}`.
 *
 * Statuses: every error is `400 Bad Request`, `invalid_client` included, because that is what
 * Cognito documents for its token endpoint ("Examples of negative responses" in
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html: one
 * `HTTP/1.1 400 Bad Request` for invalid_request, invalid_client, invalid_grant,
 * unauthorized_client and unsupported_grant_type, and its invalid_client example is precisely a
 * client that authenticated with the Authorization header). RFC 6749 §5.2 would have 401 for a
 * failed Basic authentication; the emulation follows Cognito, not the RFC, and the token client
 * treats any 4xx with an `error` field as a final OAuth error either way. Unknown client, wrong
 * secret and disabled client get the same answer, so the endpoint reveals nothing about which
 * ids exist.
 */
import { headerValue, jsonResponse, type LocalRequest, type LocalResponse } from "./http-types";
import type { LocalAppClient, LocalUserPool } from "./user-pool";

export type TokenErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope";

export interface TokenEndpointOptions {
  readonly userPool: LocalUserPool;
  /** Overrides every client's access-token validity (tests of expiry use a second or two). */
  readonly accessTokenLifetimeSeconds?: number;
  /** Seconds since the epoch; injectable for tests. */
  readonly nowSeconds?: () => number;
}

export interface TokenEndpointMetrics {
  /** Every request that reached the endpoint. */
  readonly requests: number;
  /** Successful responses: what Cognito bills. */
  readonly tokensIssued: number;
}

export interface TokenEndpoint {
  handle(request: LocalRequest): LocalResponse;
  readonly metrics: TokenEndpointMetrics;
}

/** Grants Cognito knows but that a client-credentials-only app client may not use. */
const GRANTS_NOT_ALLOWED_FOR_M2M_CLIENTS = new Set(["authorization_code", "refresh_token"]);

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

function tokenError(code: TokenErrorCode): LocalResponse {
  return jsonResponse(400, { error: code }, NO_STORE);
}

/** Parses the form; undefined when a parameter repeats (RFC 6749 §3.2: parameters must not be included more than once). */
function parseForm(body: Buffer): Map<string, string> | undefined {
  const params = new URLSearchParams(body.toString("utf8"));
  const form = new Map<string, string>();
  for (const [key, value] of params) {
    if (form.has(key)) return undefined;
    form.set(key, value);
  }
  return form;
}

type ClientCredentials = { clientId: string; clientSecret: string } | { problem: TokenErrorCode };

/** RFC 6749 §2.3.1: Basic credentials are form-encoded before base64. */
function decodeBasicPart(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

function clientCredentials(request: LocalRequest, form: Map<string, string>): ClientCredentials {
  const authorization = headerValue(request.headers, "authorization");
  const bodyId = form.get("client_id");
  const bodySecret = form.get("client_secret");
  if (authorization !== undefined) {
    const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    if (!match) return { problem: "invalid_client" };
    const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return { problem: "invalid_client" };
    const clientId = decodeBasicPart(decoded.slice(0, colon));
    const clientSecret = decodeBasicPart(decoded.slice(colon + 1));
    if (clientId === undefined || clientSecret === undefined) return { problem: "invalid_client" };
    // Two authentication methods at once is a malformed request (RFC 6749 §2.3).
    if (bodySecret !== undefined) return { problem: "invalid_request" };
    // A client_id in the body is allowed alongside Basic, but must name the same client.
    if (bodyId !== undefined && bodyId !== clientId) return { problem: "invalid_client" };
    return { clientId, clientSecret };
  }
  if (bodyId === undefined || bodySecret === undefined) return { problem: "invalid_client" };
  return { clientId: bodyId, clientSecret: bodySecret };
}

/** Requested scopes, or every scope of the client when none is asked for; undefined if any is not allowed. */
function grantedScopes(client: LocalAppClient, requested: string | undefined): readonly string[] | undefined {
  if (requested === undefined) return client.scopes;
  const asked = requested.split(/\s+/).filter((s) => s !== "");
  if (asked.length === 0 || asked.some((s) => !client.scopes.includes(s))) return undefined;
  return [...new Set(asked)];
}

export function createTokenEndpoint(options: TokenEndpointOptions): TokenEndpoint {
  const { userPool } = options;
  const nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  let requests = 0;
  let tokensIssued = 0;

  function handle(request: LocalRequest): LocalResponse {
    requests++;
    if (request.method !== "POST") return jsonResponse(405, { error: "invalid_request" }, { allow: "POST", ...NO_STORE });
    const contentType = (headerValue(request.headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (contentType !== "application/x-www-form-urlencoded") return tokenError("invalid_request");
    const form = parseForm(request.body);
    if (!form) return tokenError("invalid_request");

    const grantType = form.get("grant_type");
    if (grantType === undefined || grantType === "") return tokenError("invalid_request");
    if (grantType !== "client_credentials" && !GRANTS_NOT_ALLOWED_FOR_M2M_CLIENTS.has(grantType)) {
      return tokenError("unsupported_grant_type");
    }

    const credentials = clientCredentials(request, form);
    if ("problem" in credentials) return tokenError(credentials.problem);
    const client = userPool.clientById(credentials.clientId);
    // A disabled client has no app client in the deployed pool (constructs/authorization-server.ts
    // deletes it), so its old id and secret are answered as an unknown client's would be.
    if (!client || client.disabled || !userPool.secretMatches(client, credentials.clientSecret)) return tokenError("invalid_client");

    // The deployed app clients allow the client_credentials flow only.
    if (grantType !== "client_credentials") return tokenError("unauthorized_client");

    const scopes = grantedScopes(client, form.get("scope"));
    if (!scopes) return tokenError("invalid_scope");

    const lifetime = options.accessTokenLifetimeSeconds ?? client.accessTokenValiditySeconds;
    const token = userPool.issueAccessToken(client, scopes, lifetime, nowSeconds());
    tokensIssued++;
    return jsonResponse(200, { access_token: token, expires_in: lifetime, token_type: "Bearer" }, NO_STORE);
  }

  return {
    handle,
    get metrics() {
      return { requests, tokensIssued };
    },
  };
}
