/**
 * Finds the one access token in a request's Authorization header. Header names are matched
 * case-insensitively; the value is `Bearer <jwt>` (any case of the scheme) or a bare JWT.
 * Everything else — no header, two headers, two tokens, another scheme, an oversized or
 * mis-shaped token — is refused here, before any cryptography runs.
 *
 * This runs on every request, so the accepting path uses only length checks and indexOf;
 * regular expressions run only to name the reason of a refusal. Characters outside the
 * base64url alphabet are left to aws-jwt-verify's own shape check (a JwtParseError).
 */
import type { UnauthorizedReason } from "./decision-log";

/**
 * Longest token accepted. Cognito access tokens are 1–3 KB even with many scopes, and API
 * Gateway refuses request headers above 10 KB, so nothing legitimate is longer; refusing
 * early keeps base64/JSON work on hostile input bounded.
 */
export const MAX_TOKEN_CHARS = 10_240;

const AUTHORIZATION = "authorization";
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const SEPARATORS = /[\s,]+/;

/** Value of each base64url character (-1 for any other ASCII character). */
const SEXTET = new Int8Array(128).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach((ch, value) => {
  SEXTET[ch.charCodeAt(0)] = value;
});

export type BearerTokenResult =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly reason: UnauthorizedReason };

type HeaderMap<V> = Readonly<Record<string, V | undefined>> | null | undefined;

function refuse(reason: UnauthorizedReason): BearerTokenResult {
  return { ok: false, reason };
}

function isAuthorization(name: string): boolean {
  return name.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION;
}

/** `Bearer<space or tab>` in any case. */
function startsWithBearerScheme(value: string): boolean {
  const next = value.charCodeAt(6);
  return (next === 32 || next === 9) && value.slice(0, 6).toLowerCase() === "bearer";
}

export function extractBearerToken(
  headers: HeaderMap<string>,
  multiValueHeaders?: HeaderMap<readonly string[]>,
): BearerTokenResult {
  let value: unknown;
  let seen = 0;
  if (headers && typeof headers === "object") {
    for (const name of Object.keys(headers)) {
      if (isAuthorization(name)) {
        seen += 1;
        value = headers[name];
      }
    }
  }
  // `Authorization: a` and `authorization: b` in one request: which one would API Gateway cache on? Refuse.
  if (seen > 1) return refuse("multiple-tokens");
  if (multiValueHeaders && typeof multiValueHeaders === "object") {
    for (const name of Object.keys(multiValueHeaders)) {
      const values = isAuthorization(name) ? multiValueHeaders[name] : undefined;
      if (Array.isArray(values) && values.length > 1) return refuse("multiple-tokens");
    }
  }
  if (value === undefined || value === null) return refuse("no-token");
  if (typeof value !== "string") return refuse("malformed-header");

  // Size first: nothing below should touch an arbitrarily long hostile value.
  if (value.length > MAX_TOKEN_CHARS + 64) return refuse("oversized-token");
  const trimmed = value.trim();
  if (trimmed === "") return refuse("no-token");
  const token = startsWithBearerScheme(trimmed) ? trimmed.slice(7).trimStart() : trimmed;
  if (token === "" || (token.length === 6 && token.toLowerCase() === "bearer")) return refuse("malformed-header");

  if (token.indexOf(" ") >= 0 || token.indexOf(",") >= 0 || token.indexOf("\t") >= 0) {
    // `Bearer a.b.c, Bearer d.e.f`, `a.b.c d.e.f`: more than one credential. `Basic xyz`: another scheme.
    const jwtShaped = token.split(SEPARATORS).filter((part) => JWT_SHAPE.test(part)).length;
    return refuse(jwtShaped > 1 ? "multiple-tokens" : "malformed-header");
  }
  if (token.length > MAX_TOKEN_CHARS) return refuse("oversized-token");
  // aws-jwt-verify tolerates `=` padding; Cognito never pads, and one spelling per token is the rule.
  if (token.indexOf("=") >= 0 || !isCanonicalJwtShape(token)) return refuse("malformed-token");
  return { ok: true, token };
}

/**
 * Exactly three non-empty parts, no padding, and each part's spare bits zero. Base64url has
 * spare bits in a part's last character that decoders ignore, so `…Q` and `…R` can decode to
 * the same signature; requiring them to be zero (as every encoder writes them) gives each
 * token exactly one spelling: a mutated token is never a valid one.
 */
function isCanonicalJwtShape(token: string): boolean {
  let start = 0;
  for (let part = 0; part < 3; part++) {
    const dot = token.indexOf(".", start);
    const last = part === 2;
    if (last ? dot >= 0 : dot < 0) return false;
    const end = last ? token.length : dot;
    const length = end - start;
    if (length === 0 || length % 4 === 1) return false;
    if (length % 4 > 1) {
      const code = token.charCodeAt(end - 1);
      const sextet = code < 128 ? SEXTET[code]! : -1;
      const spareBits = length % 4 === 2 ? 0b1111 : 0b11;
      if (sextet < 0 || (sextet & spareBits) !== 0) return false;
    }
    start = end + 1;
  }
  return true;
}
