/**
 * The four steps Secrets Manager invokes a rotation function with, for one client's credentials
 * secret. Cognito generates the new secret, so "set" happens in createSecret (Cognito is the
 * store of record) and setSecret has nothing left to do.
 *
 * - createSecret: make room in Cognito (delete an orphan at once; delete the older secret only
 *   when the current one has been current for the grace period, else stop with
 *   GracePeriodError), add a new Cognito secret, store it as AWSPENDING under the rotation token,
 *   with the app client's scopes as Cognito lists them now and the token endpoint of the
 *   function's environment (never copied from the previous version: see docs/rotating-secrets.md).
 * - setSecret: nothing (see above).
 * - testSecret: obtain a token from the token endpoint with the pending secret, requesting the
 *   scopes it carries (what a consumer requesting the stored list gets).
 * - finishSecret: move AWSCURRENT to the pending version (the old one becomes AWSPREVIOUS), then
 *   delete orphans. The previous Cognito secret stays valid: a caller holding it keeps working
 *   until the next rotation, which deletes it (if the grace period is over).
 *
 * Every step is idempotent (Secrets Manager retries a failed step with the same token), and a
 * step that fails part way leaves the current secret untouched and valid: the current one is only
 * ever replaced by finishSecret, after testSecret proved the new one.
 */
import {
  AddUserPoolClientSecretCommand,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { allowedScopes } from "./app-client-scopes";
import { classifyCognitoSecrets, type CognitoSecret } from "./cognito-secrets";
import { parseCredentialsValue, serializeCredentialsValue, type CredentialsValue } from "./credentials-value";
import { GracePeriodError, PendingSecretRejectedError, RotationStateError } from "./errors";
import { obtainToken, type FetchLike } from "./token-check";

export type RotationStep = "createSecret" | "setSecret" | "testSecret" | "finishSecret";

export interface RotationEvent {
  readonly Step: RotationStep;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

export interface RotationContext {
  readonly cognito: CognitoIdentityProviderClient;
  readonly secretsManager: SecretsManagerClient;
  /** The environment's user pool: the only one whose clients this function rotates. */
  readonly userPoolId: string;
  /**
   * The environment's token endpoint (Terraform sets it from the domain): createSecret writes it
   * into each new version, and testSecret sends the pending secret here and nowhere else
   * (a secret whose value names another endpoint is refused, so whoever can write the secret
   * cannot make the function post a fresh credential to a server of theirs).
   */
  readonly tokenEndpoint: string;
  /** How long a secret must have been current before the one it replaced may be deleted. */
  readonly graceSeconds: number;
  readonly fetch: FetchLike;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** One line per step outcome: ids and step names only, never a value. */
  readonly log: (entry: Record<string, unknown>) => void;
}

interface VersionState {
  readonly arn: string;
  readonly currentVersionId: string;
  /** Seconds since the epoch. */
  readonly currentCreatedAt: number;
  /** When the current version became current (LastRotatedDate, or its creation for the first one). */
  readonly currentSince: number;
  readonly stagesOfToken: readonly string[];
}

const seconds = (date: Date | undefined) => (date === undefined ? undefined : date.getTime() / 1000);

/** Where the secret's versions stand; refuses secrets without rotation or tokens it does not know. */
async function versionState(ctx: RotationContext, event: RotationEvent): Promise<VersionState> {
  const described = await ctx.secretsManager.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
  const arn = described.ARN ?? event.SecretId;
  if (described.RotationEnabled === false) throw new RotationStateError(arn, "rotation is not enabled on the secret");
  const stages = described.VersionIdsToStages ?? {};
  if (!(event.ClientRequestToken in stages)) throw new RotationStateError(arn, `version ${event.ClientRequestToken} has no staging label (not part of a rotation)`);
  const currentVersionId = Object.keys(stages).find((id) => stages[id]!.includes("AWSCURRENT"));
  if (currentVersionId === undefined) throw new RotationStateError(arn, "no version is AWSCURRENT");
  const versions = await ctx.secretsManager.send(new ListSecretVersionIdsCommand({ SecretId: arn }));
  const currentCreatedAt = seconds(versions.Versions?.find((v) => v.VersionId === currentVersionId)?.CreatedDate) ?? seconds(described.CreatedDate) ?? 0;
  // The later of the two: a rotation stuck between create and finish must not count as current time.
  const currentSince = Math.max(currentCreatedAt, seconds(described.LastRotatedDate) ?? 0);
  return { arn, currentVersionId, currentCreatedAt, currentSince, stagesOfToken: stages[event.ClientRequestToken]! };
}

async function readVersion(ctx: RotationContext, arn: string, query: { VersionId?: string; VersionStage?: string }): Promise<CredentialsValue | undefined> {
  try {
    const got = await ctx.secretsManager.send(new GetSecretValueCommand({ SecretId: arn, ...query }));
    return parseCredentialsValue(arn, got.SecretString);
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

async function listCognitoSecrets(ctx: RotationContext, clientId: string): Promise<CognitoSecret[]> {
  const listed = await ctx.cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: ctx.userPoolId, ClientId: clientId }));
  return (listed.ClientSecrets ?? []).flatMap((s) =>
    s.ClientSecretId === undefined ? [] : [{ clientSecretId: s.ClientSecretId, createdAt: seconds(s.ClientSecretCreateDate) ?? 0 }],
  );
}

/** Deletes one Cognito secret; one already gone counts as deleted (a retried step). */
async function deleteCognitoSecret(ctx: RotationContext, clientId: string, secret: CognitoSecret, why: string, arn: string): Promise<void> {
  try {
    await ctx.cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: ctx.userPoolId, ClientId: clientId, ClientSecretId: secret.clientSecretId }));
  } catch (error) {
    if ((error as Error).name !== "ResourceNotFoundException") throw error;
  }
  ctx.log({ event: "cognito-secret-deleted", secret: arn, clientId, clientSecretId: secret.clientSecretId, why });
}

/** The AWSCURRENT value and the client's Cognito secrets sorted against it (and AWSPREVIOUS). */
async function currentAndCognitoSecrets(ctx: RotationContext, state: Awaited<ReturnType<typeof versionState>>) {
  const current = await readVersion(ctx, state.arn, { VersionStage: "AWSCURRENT" });
  if (!current) throw new RotationStateError(state.arn, "the AWSCURRENT value cannot be read");
  const previous = await readVersion(ctx, state.arn, { VersionStage: "AWSPREVIOUS" }).catch(() => undefined);
  const found = classifyCognitoSecrets({
    secrets: await listCognitoSecrets(ctx, current.clientId),
    currentSecretId: current.clientSecretId,
    ...(previous?.clientSecretId === undefined ? {} : { previousSecretId: previous.clientSecretId }),
    currentCreatedAt: state.currentCreatedAt,
  });
  return { current, found };
}

async function createSecret(ctx: RotationContext, event: RotationEvent): Promise<void> {
  const state = await versionState(ctx, event);
  if (state.stagesOfToken.includes("AWSCURRENT")) return; // finished already
  // A pending version under this token is written only after Cognito accepted its secret: done.
  if (await readVersion(ctx, state.arn, { VersionId: event.ClientRequestToken, VersionStage: "AWSPENDING" })) return;
  const { current, found } = await currentAndCognitoSecrets(ctx, state);

  for (const orphan of found.orphans) await deleteCognitoSecret(ctx, current.clientId, orphan, "orphan of a failed rotation", state.arn);
  // Cognito keeps two: the current one and at most one more. Room for the new one means the older goes.
  if (found.kept.length + found.older.length >= 2 && found.older.length > 0) {
    const currentFor = Math.floor(ctx.now() / 1000 - state.currentSince);
    if (currentFor < ctx.graceSeconds) throw new GracePeriodError(state.arn, currentFor, ctx.graceSeconds);
    for (const old of found.older) await deleteCognitoSecret(ctx, current.clientId, old, "older than the current secret, grace period over", state.arn);
  }

  // Read before the new Cognito secret exists: a failure here leaves no orphan behind.
  const scopes = await allowedScopes(ctx.cognito, ctx.userPoolId, current.clientId);
  const added = await ctx.cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: ctx.userPoolId, ClientId: current.clientId }));
  const descriptor = added.ClientSecretDescriptor;
  if (!descriptor?.ClientSecretValue || !descriptor.ClientSecretId) throw new RotationStateError(state.arn, "Cognito returned no secret value");
  // If this write fails, the Cognito secret just added is an orphan: the retry deletes it first.
  await ctx.secretsManager.send(
    new PutSecretValueCommand({
      SecretId: state.arn,
      ClientRequestToken: event.ClientRequestToken,
      SecretString: serializeCredentialsValue({
        clientId: current.clientId,
        clientSecret: descriptor.ClientSecretValue,
        tokenEndpoint: ctx.tokenEndpoint,
        scopes,
        clientSecretId: descriptor.ClientSecretId,
      }),
      VersionStages: ["AWSPENDING"],
    }),
  );
  ctx.log({ event: "pending-secret-created", secret: state.arn, clientId: current.clientId, clientSecretId: descriptor.ClientSecretId });
}

async function testSecret(ctx: RotationContext, event: RotationEvent): Promise<void> {
  const state = await versionState(ctx, event);
  if (state.stagesOfToken.includes("AWSCURRENT")) return;
  const pending = await readVersion(ctx, state.arn, { VersionId: event.ClientRequestToken, VersionStage: "AWSPENDING" });
  if (!pending) throw new RotationStateError(state.arn, `no AWSPENDING value for version ${event.ClientRequestToken}`);
  if (pending.tokenEndpoint !== ctx.tokenEndpoint) throw new RotationStateError(state.arn, `the secret names token endpoint ${pending.tokenEndpoint}, not this environment's ${ctx.tokenEndpoint}`);
  const refused = await obtainToken({ tokenEndpoint: ctx.tokenEndpoint, clientId: pending.clientId, clientSecret: pending.clientSecret, scopes: pending.scopes, fetch: ctx.fetch, sleep: ctx.sleep });
  if (refused !== undefined) throw new PendingSecretRejectedError(state.arn, refused);
  ctx.log({ event: "pending-secret-tested", secret: state.arn, clientId: pending.clientId });
}

async function finishSecret(ctx: RotationContext, event: RotationEvent): Promise<void> {
  let state = await versionState(ctx, event);
  if (!state.stagesOfToken.includes("AWSCURRENT")) {
    await ctx.secretsManager.send(
      new UpdateSecretVersionStageCommand({ SecretId: state.arn, VersionStage: "AWSCURRENT", MoveToVersionId: event.ClientRequestToken, RemoveFromVersionId: state.currentVersionId }),
    );
    state = await versionState(ctx, event);
  }
  const { current, found } = await currentAndCognitoSecrets(ctx, state);
  // The previous secret is "older" and kept through the grace period; only orphans go now.
  for (const orphan of found.orphans) await deleteCognitoSecret(ctx, current.clientId, orphan, "orphan of a failed rotation", state.arn);
  ctx.log({ event: "rotation-finished", secret: state.arn, clientId: current.clientId, clientSecretId: current.clientSecretId });
}

export async function runRotationStep(ctx: RotationContext, event: RotationEvent): Promise<void> {
  switch (event.Step) {
    case "createSecret":
      return createSecret(ctx, event);
    case "setSecret":
      // Cognito generated and holds the secret since createSecret: nothing to set.
      return;
    case "testSecret":
      return testSecret(ctx, event);
    case "finishSecret":
      return finishSecret(ctx, event);
  }
}
