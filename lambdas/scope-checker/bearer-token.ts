/**
 * Finds the one access token in a request's Authorization header. Header names are matched
 * case-insensitively; the value is `Bearer <jwt>` (any case of the scheme) or a bare JWT.
 * Everything else — no header, two headers, two tokens, another scheme, an oversized or
 * mis-shaped token — is refused here, before any cryptography runs.
 */
import type { UnauthorizedReason } from "./decision-log";

/**
 * Longest token accepted. Cognito access tokens are 1–3 KB even with many scopes, and API
 * Gateway refuses request headers above 10 KB, so nothing legitimate is longer; refusing
 * early keeps base64/JSON work on hostile input bounded.
 */
export const MAX_TOKEN_CHARS = 10_240;

/** Three non-empty base64url parts. Cognito never pads; `=` is refused. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BEARER_PREFIX = /^bearer[ \t]+/i;
const SEPARATORS = /[\s,]+/;
const AUTHORIZATION = "authorization";

export type BearerTokenResult =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly reason: UnauthorizedReason };

type HeaderMap<V> = Readonly<Record<string, V | undefined>> | null | undefined;

function refuse(reason: UnauthorizedReason): BearerTokenResult {
  return { ok: false, reason };
}

export function extractBearerToken(
  headers: HeaderMap<string>,
  multiValueHeaders?: HeaderMap<readonly string[]>,
): BearerTokenResult {
  let value: unknown;
  let seen = 0;
  if (headers && typeof headers === "object") {
    for (const name of Object.keys(headers)) {
      if (name.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION) {
        seen += 1;
        value = headers[name];
      }
    }
  }
  // `Authorization: a` and `authorization: b` in one request: which one would API Gateway cache on? Refuse.
  if (seen > 1) return refuse("multiple-tokens");
  if (multiValueHeaders && typeof multiValueHeaders === "object") {
    for (const name of Object.keys(multiValueHeaders)) {
      if (name.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION) {
        const values = multiValueHeaders[name];
        if (Array.isArray(values) && values.length > 1) return refuse("multiple-tokens");
      }
    }
  }
  if (value === undefined || value === null) return refuse("no-token");
  if (typeof value !== "string") return refuse("malformed-header");

  // Check the size before any regular expression or copy touches hostile input.
  if (value.length > MAX_TOKEN_CHARS + 64) return refuse("oversized-token");
  const trimmed = value.trim();
  if (trimmed === "") return refuse("no-token");

  const prefix = BEARER_PREFIX.exec(trimmed);
  const token = prefix ? trimmed.slice(prefix[0].length) : trimmed;
  if (token === "" || /^bearer$/i.test(token)) return refuse("malformed-header");

  if (SEPARATORS.test(token)) {
    // `Bearer a.b.c, Bearer d.e.f`, `a.b.c d.e.f`: more than one credential. `Basic xyz`: another scheme.
    const jwtShaped = token.split(SEPARATORS).filter((part) => JWT_SHAPE.test(part)).length;
    return refuse(jwtShaped > 1 ? "multiple-tokens" : "malformed-header");
  }
  if (token.length > MAX_TOKEN_CHARS) return refuse("oversized-token");
  if (!JWT_SHAPE.test(token) || !isCanonicalBase64url(token)) return refuse("malformed-token");
  return { ok: true, token };
}

/**
 * Base64url has spare bits in a part's last character; decoders ignore them, so `…Q` and `…R`
 * can decode to the same signature. Requiring them to be zero (as every encoder writes them)
 * makes each token have exactly one spelling: a mutated token is never a valid one.
 */
function isCanonicalBase64url(token: string): boolean {
  let start = 0;
  for (let part = 0; part < 3; part++) {
    const dot = token.indexOf(".", start);
    const end = dot < 0 ? token.length : dot;
    const remainder = (end - start) % 4;
    if (remainder === 1) return false;
    if (remainder > 1) {
      const lastSextet = BASE64URL_ALPHABET.indexOf(token[end - 1]!);
      const spareBits = remainder === 2 ? 0b1111 : 0b11;
      if ((lastSextet & spareBits) !== 0) return false;
    }
    start = end + 1;
  }
  return true;
}
