/**
 * The value of a client's credentials secret, as the stack first writes it and as rotation
 * writes every new version: `{"clientId","clientSecret","tokenEndpoint","scopes"}`, plus
 * `clientSecretId` (Cognito's id of that secret) on versions written by rotation. The first
 * version, written by Terraform from the app client, has no `clientSecretId`: Terraform cannot
 * know it.
 */
import { RotationStateError } from "./errors";

export interface CredentialsValue {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpoint: string;
  readonly scopes: readonly string[];
  readonly clientSecretId?: string;
}

export function parseCredentialsValue(secretArn: string, text: string | undefined): CredentialsValue {
  let value: Partial<CredentialsValue> & { disabled?: unknown };
  try {
    value = JSON.parse(text ?? "") as Partial<CredentialsValue> & { disabled?: unknown };
  } catch {
    throw new RotationStateError(secretArn, "the value is not JSON");
  }
  if (value?.disabled === true) throw new RotationStateError(secretArn, "the client is disabled: there is no app client whose secret could rotate");
  if (
    typeof value?.clientId !== "string" || typeof value.clientSecret !== "string" || typeof value.tokenEndpoint !== "string" ||
    !Array.isArray(value.scopes) || !value.scopes.every((s) => typeof s === "string") ||
    (value.clientSecretId !== undefined && typeof value.clientSecretId !== "string")
  ) {
    throw new RotationStateError(secretArn, "the value lacks clientId, clientSecret, tokenEndpoint or scopes");
  }
  return {
    clientId: value.clientId,
    clientSecret: value.clientSecret,
    tokenEndpoint: value.tokenEndpoint,
    scopes: value.scopes,
    ...(value.clientSecretId === undefined ? {} : { clientSecretId: value.clientSecretId }),
  };
}

/** Same keys in the same order as the stack writes them, so consumers parse every version alike. */
export function serializeCredentialsValue(value: CredentialsValue): string {
  return JSON.stringify({
    clientId: value.clientId,
    clientSecret: value.clientSecret,
    tokenEndpoint: value.tokenEndpoint,
    scopes: value.scopes,
    ...(value.clientSecretId === undefined ? {} : { clientSecretId: value.clientSecretId }),
  });
}
