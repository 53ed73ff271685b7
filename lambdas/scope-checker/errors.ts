/** Typed errors of the scope checker, with fixed message forms. */

/** The one error API Gateway turns into 401; its message must be exactly "Unauthorized". */
export function unauthorized(): Error {
  return new Error("Unauthorized");
}

/** `createHandler` options or the Lambda environment are unusable: `<field>: <problem>`. */
export class ScopeCheckerConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "ScopeCheckerConfigError";
  }
}

/** The JWKS could not be loaded at cold start: `JWKS not loaded from <uri>: <problem>`. */
export class JwksLoadError extends Error {
  constructor(
    readonly uri: string,
    readonly problem: string,
  ) {
    super(`JWKS not loaded from ${uri}: ${problem}`);
    this.name = "JwksLoadError";
  }
}
