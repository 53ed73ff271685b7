/**
 * Verifies a Cognito access token with aws-jwt-verify and reduces the outcome to what the
 * scope checker needs: the client id and scope claim, or a reason class for the log.
 * Beyond the library's checks (signature, kid, issuer, expiry, not-before, token use, client
 * allow-list) it insists on RS256 (what Cognito signs with, whatever the JWKS says), an
 * `exp` claim (the library only checks expiry when present) and a string `client_id`.
 */
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import {
  CognitoJwtInvalidClientIdError,
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
  | { readonly ok: false; readonly reason: UnauthorizedReason };

export interface TokenVerifierOptions {
  readonly userPoolId: string;
  /** Allowed `client_id`s; null accepts any client of the pool. */
  readonly clientIds: readonly string[] | null;
  /** When given, the verifier uses only these keys and never fetches. */
  readonly jwks?: { readonly keys: readonly object[] };
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

/** Reason class of a verification failure; anything unexpected is just "invalid-token". */
export function reasonOf(err: unknown): UnauthorizedReason {
  if (err instanceof AccessTokenShapeError) return err.reason;
  if (err instanceof JwtExpiredError) return "expired";
  if (err instanceof JwtNotBeforeError) return "not-yet-valid";
  if (err instanceof JwtInvalidIssuerError) return "wrong-issuer";
  // The verifier looks the issuer up before verifying; an unknown or missing `iss` lands here.
  if (err instanceof ParameterValidationError) return "wrong-issuer";
  if (err instanceof CognitoJwtInvalidTokenUseError) return "wrong-token-use";
  if (err instanceof CognitoJwtInvalidClientIdError) return "client-not-allowed";
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

function accepted(payload: JwtPayload): TokenCheck {
  const scope = typeof payload.scope === "string" ? payload.scope : "";
  return { ok: true, token: { clientId: payload.client_id as string, scope } };
}

function refused(err: unknown): TokenCheck {
  return { ok: false, reason: reasonOf(err) };
}

/**
 * Returns a function that checks one JWT. With `jwks` it is synchronous and never touches the
 * network (an unknown kid is simply refused: no fetch storm). Without, aws-jwt-verify fetches
 * the pool's JWKS on first use and rate-limits refetches for unknown kids.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (jwt: string) => TokenCheck | Promise<TokenCheck> {
  const { userPoolId, clientIds, jwks } = options;
  if (typeof userPoolId !== "string") throw new ScopeCheckerConfigError("userPoolId", "must be a string");
  if (clientIds !== null && (!Array.isArray(clientIds) || clientIds.some((id) => typeof id !== "string" || id === ""))) {
    throw new ScopeCheckerConfigError("clientIds", "must be null or an array of non-empty strings");
  }
  let verifier;
  try {
    verifier = CognitoJwtVerifier.create({
      userPoolId,
      tokenUse: "access",
      clientId: clientIds === null ? null : [...clientIds],
      customJwtCheck: checkCognitoAccessTokenShape,
    });
  } catch {
    throw new ScopeCheckerConfigError("userPoolId", `not a Cognito user pool id: ${JSON.stringify(userPoolId)}`);
  }
  if (jwks !== undefined) {
    try {
      assertIsJwks(jwks as unknown as Parameters<typeof assertIsJwks>[0]);
      verifier.cacheJwks(jwks as Jwks);
    } catch {
      throw new ScopeCheckerConfigError("jwks", "not a valid JWKS");
    }
    const cached = verifier;
    return (jwt) => {
      try {
        return accepted(cached.verifySync(jwt));
      } catch (err) {
        return refused(err);
      }
    };
  }
  return (jwt) => verifier.verify(jwt).then(accepted, refused);
}
