/**
 * `m2m secret rotate`: ask Secrets Manager to rotate one client's credentials secret now
 * (RotateSecret, which invokes the environment's rotation function). Against AWS the rotation
 * runs in the background; the offline environment runs it before answering.
 */
import { awsPlacesChecked } from "./aws-environment";
import type { SecretsManagerAccess } from "./client-secret-store";

/** RotateSecret failed: names the secret and the AWS error, never a value. */
export class SecretRotationError extends Error {
  constructor(readonly secretId: string, problem: string) {
    super(`could not rotate secret ${secretId}: ${problem}`);
    this.name = "SecretRotationError";
  }
}

/** Starts a rotation; resolves with the new version id (the rotation token). */
export async function rotateClientSecret(secretId: string, access: SecretsManagerAccess = {}): Promise<string> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SecretsManagerClient, RotateSecretCommand } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
  const client = new SecretsManagerClient({
    ...(access.region ? { region: access.region } : {}),
    ...(access.endpoint ? { endpoint: access.endpoint, maxAttempts: 1 } : {}),
    ...(access.credentials ? { credentials: access.credentials } : {}),
  });
  try {
    // RotateImmediately: the rotation function runs now, not at the next scheduled window.
    const answer = await client.send(new RotateSecretCommand({ SecretId: secretId, RotateImmediately: true }));
    return answer.VersionId ?? "";
  } catch (error) {
    const e = error as Error;
    // The SDK found no credentials anywhere: say where it looked and how to give it some.
    if (e.name === "CredentialsProviderError") {
      throw new SecretRotationError(
        secretId,
        `no AWS credentials (checked ${awsPlacesChecked(process.env, "credentials")}, and instance metadata): export AWS_PROFILE=<profile> after aws configure or aws sso login, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the offline environment's secrets rotate with --local instead)`,
      );
    }
    throw new SecretRotationError(secretId, `${e.name}: ${e.message.split("\n")[0]}`);
  } finally {
    client.destroy();
  }
}
