/** Typed errors of the rotation function, with fixed message forms that never hold a secret's value. */

/** The Lambda environment or the event is unusable: `<field>: <problem>`. */
export class RotationConfigError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "RotationConfigError";
  }
}

/** The secret is not one this function may rotate, or not in a state a step can work from. */
export class RotationStateError extends Error {
  constructor(
    readonly secretArn: string,
    readonly problem: string,
  ) {
    super(`${secretArn}: ${problem}`);
    this.name = "RotationStateError";
  }
}

/**
 * Cognito already holds two secrets and the older one may not be deleted yet: the current secret
 * has been current for less than the grace period, so a caller may still hold the older value.
 */
export class GracePeriodError extends Error {
  constructor(
    readonly secretArn: string,
    readonly currentForSeconds: number,
    readonly graceSeconds: number,
  ) {
    super(
      `${secretArn}: the current secret has been current for ${currentForSeconds} s, less than the grace period of ${graceSeconds} s; ` +
        "the older Cognito secret is kept and no new one is created (rotate again after the grace period)",
    );
    this.name = "GracePeriodError";
  }
}

/** testSecret could not obtain a token with the pending secret: `<reason>` is a status or error code. */
export class PendingSecretRejectedError extends Error {
  constructor(
    readonly secretArn: string,
    readonly reason: string,
  ) {
    super(`${secretArn}: the token endpoint refused the pending secret (${reason})`);
    this.name = "PendingSecretRejectedError";
  }
}
