/**
 * The RFC 6750 `WWW-Authenticate` challenges the API answers with. One definition for the
 * deployed gateway responses, the offline environment and the OpenAPI document. API Gateway's
 * gateway responses carry static values, so every 401 gets the same challenge, whatever the cause.
 */

/** 401 (UNAUTHORIZED): no token, or one the authorizer refused. The realm is the API's name. */
export function unauthorizedChallenge(realm: string): string {
  return `Bearer realm="${realm}"`;
}

/** 403 (ACCESS_DENIED): a valid token the scope checker's policy denies for this route. */
export function insufficientScopeChallenge(realm: string): string {
  return `Bearer realm="${realm}", error="insufficient_scope"`;
}
