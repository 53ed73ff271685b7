/**
 * API Gateway's own answers (gateway responses), with the bodies API Gateway sends and the RFC 6750
 * `WWW-Authenticate: Bearer` challenge the deployed stack adds to 401 and 403.
 */
import { insufficientScopeChallenge, unauthorizedChallenge } from "../model/oauth-challenges";
import { jsonResponse, type LocalResponse } from "./http-types";

/**
 * 401: no token, or a token the authorizer refused (bad signature, expired, wrong pool, missing
 * scope on a native route). The deployed UNAUTHORIZED gateway response has one static header for
 * all of these, so the emulation sends the same challenge whatever the cause.
 */
export function unauthorized(realm: string): LocalResponse {
  return jsonResponse(401, { message: "Unauthorized" }, { "www-authenticate": unauthorizedChallenge(realm), "x-amzn-errortype": "UnauthorizedException" });
}

/**
 * 403 from a Lambda authorizer's policy: an explicit Deny, or an Allow that does not cover the
 * called method. `reason`: the scope checker's `denyReason` (a certificate binding), which the
 * deployed ACCESS_DENIED response of an API with bindings carries too.
 */
export function accessDenied(realm: string, explicit: boolean, reason?: string): LocalResponse {
  const message = explicit
    ? "User is not authorized to access this resource with an explicit deny"
    : "User is not authorized to access this resource";
  return jsonResponse(
    403,
    reason === undefined ? { message } : { message, reason },
    { "www-authenticate": insufficientScopeChallenge(realm), "x-amzn-errortype": "AccessDeniedException" },
  );
}

/**
 * 403 when the API's custom domain requires mutual TLS and the connection presented no
 * certificate from the truststore. Offline the answer is this 403 (with a reason the CLI shows);
 * API Gateway may instead end the TLS handshake (docs/custom-domains-and-mtls.md).
 */
export function clientCertificateRequired(): LocalResponse {
  return jsonResponse(403, { message: "Forbidden", reason: "client-certificate-required" }, { "x-amzn-errortype": "ForbiddenException" });
}

/** 403 for a path or method the API does not define (API Gateway's famously misleading wording). */
export function missingAuthenticationToken(): LocalResponse {
  return jsonResponse(403, { message: "Missing Authentication Token" }, { "x-amzn-errortype": "MissingAuthenticationTokenException" });
}

/** 500 when a Lambda authorizer fails with anything but `Error("Unauthorized")` or returns a malformed result. */
export function authorizerConfigurationError(): LocalResponse {
  return jsonResponse(500, { message: null }, { "x-amzn-errortype": "AuthorizerConfigurationException" });
}

/**
 * 415 from the integration request: the MOCK integrations have a request template for
 * `application/json` only and `passthroughBehavior: NEVER`, so any other Content-Type is refused.
 */
export function unsupportedMediaType(): LocalResponse {
  return jsonResponse(415, { message: "Unsupported Media Type" }, { "x-amzn-errortype": "UnsupportedMediaTypeException" });
}
