/**
 * Which of an app client's Cognito secrets may go. Cognito keeps at most two, lists them without
 * their values, and names each `<client-id>--<epoch-create-time>`; Secrets Manager versions
 * written by rotation name theirs in `clientSecretId`. A Cognito secret is then:
 * - **kept**: the current or pending version's secret, or (the first version, written by
 *   Terraform, names none) any secret created before the current version was, which is the
 *   current one;
 * - **older**: the previous version's secret, or one created before the current version that no
 *   version names (the first, Terraform-written value): callers may still hold it, so it is
 *   deleted only when the current one has been current for the grace period;
 * - **orphan**: created after the current version, named by no version: a createSecret that added
 *   it to Cognito but failed to store it. Its value exists nowhere else, so nobody can be using
 *   it: deleted at once.
 * Pure: the steps pass in what they listed.
 */

export interface CognitoSecret {
  readonly clientSecretId: string;
  /** Seconds since the epoch. */
  readonly createdAt: number;
}

export interface SecretClassification {
  readonly kept: readonly CognitoSecret[];
  readonly older: readonly CognitoSecret[];
  readonly orphans: readonly CognitoSecret[];
}

export interface ClassifyInput {
  readonly secrets: readonly CognitoSecret[];
  /** The current version's clientSecretId; undefined for the version Terraform wrote. */
  readonly currentSecretId: string | undefined;
  readonly pendingSecretId?: string;
  /** The AWSPREVIOUS version's clientSecretId, if it has one. */
  readonly previousSecretId?: string;
  /** When the current version was created, seconds since the epoch. */
  readonly currentCreatedAt: number;
}

export function classifyCognitoSecrets(input: ClassifyInput): SecretClassification {
  const kept: CognitoSecret[] = [];
  const older: CognitoSecret[] = [];
  const orphans: CognitoSecret[] = [];
  for (const secret of input.secrets) {
    const named = secret.clientSecretId === input.currentSecretId || secret.clientSecretId === input.pendingSecretId;
    if (named) kept.push(secret);
    else if (secret.clientSecretId === input.previousSecretId) older.push(secret);
    else if (secret.createdAt > input.currentCreatedAt) orphans.push(secret);
    else if (input.currentSecretId === undefined) kept.push(secret);
    else older.push(secret);
  }
  return { kept, older, orphans };
}
