/**
 * What can go wrong when getting a token, as typed errors with fixed message forms. None of them
 * carries the client secret, the Authorization header or a token: messages are built only from
 * the endpoint's status, its OAuth error code and description, and the failure class.
 */

export abstract class TokenClientError extends Error {
  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The token endpoint refused the request with an OAuth error (`invalid_client`, `invalid_scope`,
 * `unauthorized_client`, `unsupported_grant_type`, ...). Not retried: asking again gives the same answer.
 */
export class OAuthError extends TokenClientError {
  constructor(
    readonly code: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(`token endpoint refused the request: ${code}${description ? ` (${description})` : ""}, HTTP ${status}`);
  }
}

/** Network errors, 429 or 5xx on every attempt: the endpoint could not be reached or kept failing. */
export class TokenEndpointUnavailableError extends TokenClientError {
  constructor(
    readonly attempts: number,
    /** The last failure: `HTTP 503` or `network error (ECONNREFUSED)`. */
    readonly lastFailure: string,
  ) {
    super(`token endpoint unavailable after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${lastFailure}`);
  }
}

/** The endpoint answered, but not like an OAuth token endpoint (wrong URL, a proxy page, a malformed token response). */
export class TokenResponseError extends TokenClientError {
  constructor(
    readonly status: number,
    readonly problem: string,
  ) {
    super(`token endpoint gave an unexpected answer: ${problem}, HTTP ${status}`);
  }
}

/** The client was given options it cannot work with; thrown by `createTokenClient` before any request. */
export class TokenClientConfigError extends TokenClientError {
  constructor(readonly option: string, rule: string) {
    super(`token client misconfigured: ${option} ${rule}`);
  }
}
