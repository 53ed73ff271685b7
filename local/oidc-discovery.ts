/**
 * The user pool's OpenID Connect discovery document, served as Cognito serves it: at
 * `<issuer>/.well-known/openid-configuration`, beside `<issuer>/.well-known/jwks.json`. A standard
 * OIDC client (openid-client's `discovery()`, jose's `createRemoteJWKSet` on `jwks_uri`) then finds
 * the token endpoint and the keys from the issuer alone, offline as deployed.
 *
 * Only what the offline environment serves is advertised: the token endpoint (client credentials,
 * secret by Basic or in the body) and the keys. Cognito's document also names the hosted UI's
 * authorize and userInfo endpoints, which machine-to-machine clients never use and which the
 * offline environment does not emulate; a client that follows them should fail here, not later.
 */

export interface DiscoveryDocument {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly token_endpoint: string;
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly grant_types_supported: readonly string[];
  readonly response_types_supported: readonly string[];
  readonly subject_types_supported: readonly string[];
  readonly id_token_signing_alg_values_supported: readonly string[];
}

/** `<issuer>/.well-known/<name>`: where Cognito publishes each document of a pool. */
export function wellKnownPath(issuer: string, name: "openid-configuration" | "jwks.json"): string {
  return `${new URL(issuer).pathname.replace(/\/+$/, "")}/.well-known/${name}`;
}

export function discoveryDocument(issuer: string, tokenEndpoint: string): DiscoveryDocument {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: tokenEndpoint,
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    grant_types_supported: ["client_credentials"],
    // Required members of the OIDC discovery document, with Cognito's values.
    response_types_supported: ["code", "token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
  };
}
