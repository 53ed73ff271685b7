/**
 * API Gateway's native COGNITO_USER_POOLS authorizer with authorization scopes: a valid access
 * token of the user pool (signature, expiry, issuer, token use) that carries *any* of the
 * route's scopes passes; everything else is 401, including a valid token without the scope
 * (API Gateway answers a scope mismatch with 401, not 403). It does not look at `client_id`:
 * that is why a disabled client's live tokens still pass native routes until they expire.
 *
 * One per API: each REST API's authorizer names the same user pool but requires the scopes of
 * its own resource server, so a token of the pool carrying only another API's scopes is refused
 * (401) like any token without the route's scope.
 */
import { JwtVerifier } from "aws-jwt-verify";
import { scopeMatchOf, scopesSatisfy } from "../model/access";
import { scopeIdentifier } from "../model/aws-urls";
import type { Route } from "../model/model-types";
import { stringClaims, type CallerIdentity } from "./caller-identity";
import type { LocalUserPool } from "./user-pool";

export type NativeDecision = "allow" | "no-token" | "invalid-token";

/** The decision, and on allow the token's claims, which API Gateway hands the integration. */
export type NativeResult = { readonly decision: "allow"; readonly identity: CallerIdentity } | { readonly decision: "no-token" | "invalid-token" };

export interface NativeAuthorizer {
  authorize(authorizationHeader: string | undefined, route: Route): NativeResult;
}

/** The token from `Bearer <jwt>` (any case of the scheme) or a bare JWT. */
export function bearerToken(authorizationHeader: string): string {
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorizationHeader.trim());
  return match ? match[1]! : authorizationHeader.trim();
}

export function createNativeAuthorizer(userPool: LocalUserPool, resourceServerIdentifier: string): NativeAuthorizer {
  // The pool's issuer (the offline environment's own URL + /<pool id>), and Cognito's token_use check.
  const verifier = JwtVerifier.create({
    issuer: userPool.issuer,
    audience: null,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== "access") throw new Error("not an access token");
    },
  });
  // The JWKS is handed over, never fetched: the offline environment stays offline.
  verifier.cacheJwks({ keys: userPool.signingKey.jwks.keys.map((k) => ({ ...k })) });

  // A route's full scope identifiers depend on the route alone: built at its first call, not at every request.
  const required = new WeakMap<object, string[]>();
  const requiredOf = (route: Parameters<NativeAuthorizer["authorize"]>[1]): string[] => {
    let identifiers = required.get(route);
    if (identifiers === undefined) required.set(route, (identifiers = route.scopes.map((s) => scopeIdentifier(resourceServerIdentifier, s))));
    return identifiers;
  };

  return {
    authorize(authorizationHeader, route) {
      if (authorizationHeader === undefined || authorizationHeader.trim() === "") return { decision: "no-token" };
      let payload: Readonly<Record<string, unknown>>;
      try {
        payload = verifier.verifySync(bearerToken(authorizationHeader));
      } catch {
        return { decision: "invalid-token" };
      }
      const scopeClaim = payload.scope;
      const granted = new Set(typeof scopeClaim === "string" ? scopeClaim.split(" ") : []);
      if (!scopesSatisfy(scopeMatchOf(route.authorizer), requiredOf(route), granted)) return { decision: "invalid-token" };
      return { decision: "allow", identity: { authorizer: "cognito", claims: stringClaims(payload) } };
    },
  };
}
