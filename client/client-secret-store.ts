/**
 * A client's credentials from AWS Secrets Manager, as the stack stores them: one JSON secret per
 * client, `{"clientId","clientSecret","tokenEndpoint","scopes"}`, or `{"disabled": true, ...}` for
 * a client cut off by `disabled: true` (its app client is deleted, the secret keeps its name).
 * The AWS SDK is imported only when a secret is actually read, so the offline commands never load it.
 */

export interface StoredClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenEndpoint: string;
  readonly scopes: readonly string[];
}

/** Failures name the secret and the failure class, never the secret's value. */
export class SecretLookupError extends Error {
  constructor(readonly secretId: string, problem: string) {
    super(`could not read client credentials from secret ${secretId}: ${problem}`);
    this.name = new.target.name;
  }
}

/** The secret belongs to a disabled client: there is no app client, so there are no credentials. */
export class ClientDisabledError extends SecretLookupError {
  constructor(secretId: string) {
    super(secretId, "the client is disabled (its app client is deleted; the secret holds no credentials)");
  }
}

/** `arn:aws:secretsmanager:<region>:...`; undefined for a plain secret name. */
function regionOfArn(secretId: string): string | undefined {
  const parts = secretId.split(":");
  return parts[0] === "arn" && parts[2] === "secretsmanager" && parts[3] ? parts[3] : undefined;
}

/** Parses a secret's value; exported for tests (reading one needs AWS). */
export function parseClientCredentialsSecret(secretId: string, text: string): StoredClientCredentials {
  let value: Partial<StoredClientCredentials> | null;
  try {
    value = JSON.parse(text) as Partial<StoredClientCredentials> | null;
  } catch {
    throw new SecretLookupError(secretId, "the value is not JSON");
  }
  if ((value as { disabled?: unknown } | null)?.disabled === true) throw new ClientDisabledError(secretId);
  if (
    typeof value?.clientId !== "string" || typeof value.clientSecret !== "string" || typeof value.tokenEndpoint !== "string" ||
    !Array.isArray(value.scopes) || !value.scopes.every((s) => typeof s === "string")
  ) {
    throw new SecretLookupError(secretId, "the value lacks clientId, clientSecret, tokenEndpoint or scopes");
  }
  return { clientId: value.clientId, clientSecret: value.clientSecret, tokenEndpoint: value.tokenEndpoint, scopes: value.scopes };
}

/** Where the SDK client goes: AWS by default; the offline environment passes its endpoint and dummy credentials. */
export interface SecretsManagerAccess {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export async function readClientCredentialsSecret(secretId: string, access: SecretsManagerAccess = {}): Promise<StoredClientCredentials> {
  // The SDK prints a multi-line notice about future Node.js versions on stderr; the CLI's stderr
  // is for one-line errors. Users who want the notice can set the variable to "false".
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // Loaded on first use (require, not import(): the CommonJS build and jest's transform both keep it synchronous).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
  const region = access.region ?? regionOfArn(secretId);
  const client = new SecretsManagerClient({
    ...(region ? { region } : {}),
    ...(access.endpoint ? { endpoint: access.endpoint } : {}),
    ...(access.credentials ? { credentials: access.credentials } : {}),
  });
  let secretString: string | undefined;
  try {
    // AWSCURRENT named, not implied: consumers' secret policy allows reads on the
    // secretsmanager:VersionStage key, which a request without VersionStage does not carry.
    secretString = (await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: "AWSCURRENT" }))).SecretString;
  } catch (error) {
    // SDK errors name the problem (AccessDenied, ResourceNotFound, no credentials) without the value.
    const e = error as Error;
    throw new SecretLookupError(secretId, `${e.name}: ${e.message.split("\n")[0]}`);
  } finally {
    client.destroy();
  }
  if (secretString === undefined) throw new SecretLookupError(secretId, "the secret has no string value");
  return parseClientCredentialsSecret(secretId, secretString);
}

/**
 * A reader of one secret that concurrent callers share: while a read is in flight, every caller
 * gets that read (one Secrets Manager call), so a rotation seen by many requests at once costs one
 * lookup. Pass `read` as the token client's `reloadCredentials`.
 */
export function sharedSecretReader(
  secretId: string,
  access: SecretsManagerAccess = {},
  readSecret: typeof readClientCredentialsSecret = readClientCredentialsSecret,
): { read(): Promise<StoredClientCredentials>; readonly reads: number } {
  let inFlight: Promise<StoredClientCredentials> | undefined;
  let reads = 0;
  return {
    read() {
      inFlight ??= (reads++, readSecret(secretId, access)).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    get reads() {
      return reads;
    },
  };
}
