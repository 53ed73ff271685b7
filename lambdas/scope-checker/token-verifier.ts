/**
 * Verifies a Cognito access token with aws-jwt-verify and reduces the outcome to what the
 * scope checker needs: the client id and scope claim, or a reason class for the log.
 * Beyond the library's checks (signature, kid, issuer, expiry, not-before, token use) it
 * insists on RS256 (what Cognito signs with, whatever the JWKS says), an `exp` claim (the
 * library only checks expiry when present) and a string `client_id`. The client allow-list is
 * checked here, after all of that: so a refusal for it can name the (verified) client.
 *
 * Keys: with `jwks` the verifier uses those keys synchronously; a token whose `kid` they lack
 * may ask `refreshJwks` for the pool's current keys (Cognito rotated them) and is verified
 * again with those. The kid is read before any signature check, so anyone can send an unknown
 * one: `refreshJwks` must rate-limit (see jwks-refresh.ts) and answer undefined when no fetch
 * is allowed, which refuses the token at once.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { JwtVerifier } from "aws-jwt-verify/jwt-verifier";
import {
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from "aws-jwt-verify/error";
import { assertIsJwks, type Jwks } from "aws-jwt-verify/jwk";
import type { JwtHeader, JwtPayload } from "aws-jwt-verify/jwt-model";
import type { UnauthorizedReason } from "./decision-log";
import { ScopeCheckerConfigError } from "./errors";

export interface VerifiedAccessToken {
  readonly clientId: string;
  /** Space-separated scopes; "" when the token carries none. */
  readonly scope: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly token: VerifiedAccessToken }
  /** `clientId` only with `client-not-allowed`: the token was verified, its client is not allowed. */
  | { readonly ok: false; readonly reason: UnauthorizedReason; readonly clientId?: string };

export interface JwksDocument {
  readonly keys: readonly object[];
}

/** The pool's current keys, or undefined when no fetch is allowed now or it failed. */
export type JwksRefresh = () => Promise<JwksDocument | undefined> | undefined;

export interface TokenVerifierOptions {
  readonly userPoolId: string;
  /**
   * The `iss` tokens must carry, when it is not Cognito's for the pool: the offline environment
   * issues tokens as `<its own URL>/<pool id>`, so that a standard OIDC client finds its discovery
   * document and keys at the issuer, as it does at Cognito's. The deployed Lambda never sets it.
   */
  readonly issuer?: string;
  /** Allowed `client_id`s; null accepts any client of the pool. */
  readonly clientIds: readonly string[] | null;
  /** When given, the verifier uses these keys and fetches nothing itself. */
  readonly jwks?: JwksDocument;
  /** With `jwks`: asked for new keys when a token's kid is not among them (rate-limited by the caller). */
  readonly refreshJwks?: JwksRefresh;
}

/** Raised from our extra checks; mapped to a reason class below, never shown to callers. */
class AccessTokenShapeError extends Error {
  constructor(readonly reason: UnauthorizedReason) {
    super(`Access token refused: ${reason}`);
    this.name = "AccessTokenShapeError";
  }
}

function checkCognitoAccessTokenShape({ header, payload }: { header: JwtHeader; payload: JwtPayload }): void {
  if (header.alg !== "RS256") throw new AccessTokenShapeError("unsupported-alg");
  if (typeof payload.exp !== "number") throw new AccessTokenShapeError("invalid-claims");
  if (typeof payload.client_id !== "string" || payload.client_id === "") throw new AccessTokenShapeError("invalid-claims");
}

/** Cognito's token_use check, for a verifier of another issuer (CognitoJwtVerifier makes it itself). */
function checkAccessTokenUse(jwt: { header: JwtHeader; payload: JwtPayload }): void {
  if (jwt.payload.token_use !== "access") throw new AccessTokenShapeError("wrong-token-use");
  checkCognitoAccessTokenShape(jwt);
}

/** The parts of aws-jwt-verify's verifiers this file uses, whichever verifier it is. */
interface Verifier {
  verify(jwt: string): Promise<JwtPayload>;
  verifySync(jwt: string): JwtPayload;
  cacheJwks(jwks: Jwks): void;
}

/** Cognito's verifier for the pool, or with `issuer` a JWT verifier of that issuer making Cognito's checks. */
function verifierFor(userPoolId: string, issuer: string | undefined): Verifier {
  if (issuer === undefined) {
    // clientId: null — the allow-list is checked in `accepted`, once the token is verified.
    const cognito = CognitoJwtVerifier.create({ userPoolId, tokenUse: "access", clientId: null, customJwtCheck: checkCognitoAccessTokenShape });
    return { verify: (jwt) => cognito.verify(jwt), verifySync: (jwt) => cognito.verifySync(jwt), cacheJwks: (jwks) => cognito.cacheJwks(jwks) };
  }
  const other = JwtVerifier.create({ issuer, audience: null, customJwtCheck: checkAccessTokenUse });
  return { verify: (jwt) => other.verify(jwt), verifySync: (jwt) => other.verifySync(jwt), cacheJwks: (jwks) => other.cacheJwks(jwks) };
}

/** Reason class of a verification failure; anything unexpected is just "invalid-token". */
export function reasonOf(err: unknown): UnauthorizedReason {
  if (err instanceof AccessTokenShapeError) return err.reason;
  if (err instanceof JwtExpiredError) return "expired";
  if (err instanceof JwtNotBeforeError) return "not-yet-valid";
  if (err instanceof JwtInvalidIssuerError) return "wrong-issuer";
  // The verifier looks the issuer up before verifying; an unknown or missing `iss` lands here.
  if (err instanceof ParameterValidationError) return "wrong-issuer";
  if (err instanceof CognitoJwtInvalidTokenUseError) return "wrong-token-use";
  if (err instanceof JwtInvalidSignatureAlgorithmError) return "unsupported-alg";
  if (err instanceof JwtInvalidSignatureError) return "bad-signature";
  if (err instanceof KidNotFoundInJwksError || err instanceof JwtWithoutValidKidError) return "unknown-kid";
  if (err instanceof JwtParseError) return "malformed-token";
  if (
    err instanceof JwksNotAvailableInCacheError ||
    err instanceof JwksValidationError ||
    err instanceof JwkValidationError ||
    err instanceof FetchError ||
    err instanceof WaitPeriodNotYetEndedJwkError
  ) {
    return "jwks-unavailable";
  }
  return "invalid-token";
}

function refused(err: unknown): TokenCheck {
  return { ok: false, reason: reasonOf(err) };
}

function asJwks(field: string, jwks: JwksDocument): Jwks {
  try {
    assertIsJwks(jwks as unknown as Parameters<typeof assertIsJwks>[0]);
  } catch {
    throw new ScopeCheckerConfigError(field, "not a valid JWKS");
  }
  return jwks as Jwks;
}

/**
 * Returns a function that checks one JWT. With `jwks` it is synchronous and never touches the
 * network, except through `refreshJwks` for an unknown kid. Without, aws-jwt-verify fetches
 * the pool's JWKS on first use and rate-limits refetches for unknown kids.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (jwt: string) => TokenCheck | Promise<TokenCheck> {
  const { userPoolId, clientIds, jwks, refreshJwks, issuer } = options;
  if (typeof userPoolId !== "string") throw new ScopeCheckerConfigError("userPoolId", "must be a string");
  if (clientIds !== null && (!Array.isArray(clientIds) || clientIds.some((id) => typeof id !== "string" || id === ""))) {
    throw new ScopeCheckerConfigError("clientIds", "must be null or an array of non-empty strings");
  }
  if (refreshJwks !== undefined && (jwks === undefined || typeof refreshJwks !== "function")) {
    throw new ScopeCheckerConfigError("refreshJwks", "must be a function, given together with jwks");
  }
  const allowedClients = clientIds === null ? null : new Set(clientIds);
  if (issuer !== undefined && typeof issuer !== "string") throw new ScopeCheckerConfigError("issuer", "must be a string");
  let verifier: Verifier;
  try {
    verifier = verifierFor(userPoolId, issuer);
  } catch {
    throw new ScopeCheckerConfigError("userPoolId", `not a Cognito user pool id: ${JSON.stringify(userPoolId)}`);
  }

  /** Reached only with a verified payload: signature, issuer, expiry, token use and shape checked. */
  function accepted(payload: JwtPayload): TokenCheck {
    const clientId = payload.client_id as string;
    if (allowedClients !== null && !allowedClients.has(clientId)) return { ok: false, reason: "client-not-allowed", clientId };
    const scope = typeof payload.scope === "string" ? payload.scope : "";
    return { ok: true, token: { clientId, scope } };
  }

  if (jwks === undefined) return (jwt) => verifier.verify(jwt).then(accepted, refused);

  const cached = verifier;
  cached.cacheJwks(asJwks("jwks", jwks));
  const check = (jwt: string): TokenCheck => {
    try {
      return accepted(cached.verifySync(jwt));
    } catch (err) {
      return refused(err);
    }
  };
  if (refreshJwks === undefined) return check;

  // Concurrent waiters get the same document: install each one once.
  const installed = new WeakSet<object>();
  const install = (fresh: JwksDocument | undefined) => {
    if (fresh === undefined || installed.has(fresh)) return;
    installed.add(fresh);
    try {
      cached.cacheJwks(asJwks("refreshJwks", fresh));
    } catch {
      // Not a JWKS: keep the keys we have (the token is refused as unknown-kid below).
    }
  };
  return (jwt) => {
    try {
      return accepted(cached.verifySync(jwt));
    } catch (err) {
      if (!(err instanceof KidNotFoundInJwksError)) return refused(err);
      const fresh = refreshJwks();
      if (fresh === undefined) return refused(err);
      // Verified once more against the new keys, without asking again: a kid still unknown is refused.
      return fresh.then(install, () => undefined).then(() => check(jwt));
    }
  };
}
