/** The token client library: what consumer services import. */
export { createTokenClient, type FetchLike, type TokenClient, type TokenClientOptions } from "./token-client";
export { fetchWithToken, type FetchWithTokenOptions } from "./fetch-with-token";
export { OAuthError, TokenClientConfigError, TokenClientError, TokenEndpointUnavailableError, TokenResponseError } from "./errors";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
export { readClientCredentialsSecret, sharedSecretReader, type SecretsManagerAccess, type StoredClientCredentials } from "./client-secret-store";
