/**
 * Secrets Manager (`secretsmanager.*`) as far as client credentials and their rotation need it:
 * secrets with versions and staging labels (AWSCURRENT, AWSPENDING, AWSPREVIOUS), and
 * RotateSecret calling a rotation function with the four steps in order, as Secrets Manager
 * invokes a rotation Lambda. Offline, RotateSecret waits for the four steps and answers their
 * failure (the service itself answers at once and rotates in the background); a rotation left
 * incomplete (AWSPENDING on a version that is not current) is resumed with the same token, as
 * the service retries it.
 */
import { randomUUID } from "node:crypto";
import { AwsApiError, optionalString, requiredString, type AwsJsonOperation } from "./aws-json-api";

export type RotationStep = "createSecret" | "setSecret" | "testSecret" | "finishSecret";
export interface RotationEvent {
  readonly Step: RotationStep;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}
export type RotationFunction = (event: RotationEvent) => Promise<void>;

interface Version {
  /** Undefined for the version a rotation starts with, until createSecret stores its value. */
  value: string | undefined;
  /** Seconds since the epoch. */
  readonly createdAt: number;
}

interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly createdAt: number;
  readonly versions: Map<string, Version>;
  /** Staging label -> version id. */
  readonly stages: Map<string, string>;
  lastRotatedAt?: number;
}

export interface LocalSecretsManager {
  readonly operations: Record<string, AwsJsonOperation>;
  /** Creates a secret with an AWSCURRENT version; returns its ARN. */
  createSecret(name: string, value: string): string;
  /** The AWSCURRENT value of a secret, by name or ARN. */
  currentValue(secretId: string): string;
  /**
   * What the service does before it first invokes the rotation function: a version under the
   * rotation token, labelled AWSPENDING, with no value yet (createSecret stores it).
   */
  beginRotation(secretId: string, token: string): void;
}

const PREFIX = "secretsmanager";
const STEPS: readonly RotationStep[] = ["createSecret", "setSecret", "testSecret", "finishSecret"];

export interface LocalSecretsManagerOptions {
  readonly region: string;
  readonly nowSeconds: () => number;
  /** Runs one rotation step; RotateSecret fails when absent. */
  readonly rotationFunction?: RotationFunction;
  /** Called after a rotation finished, with the secret's ARN. */
  readonly onRotated?: (arn: string) => void;
}

export function createLocalSecretsManager(options: LocalSecretsManagerOptions): LocalSecretsManager {
  const secrets = new Map<string, StoredSecret>();
  const byName = new Map<string, StoredSecret>();
  let sequence = 0;

  function find(secretId: string): StoredSecret {
    const secret = secrets.get(secretId) ?? byName.get(secretId);
    if (!secret) throw new AwsApiError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return secret;
  }
  const stagesOf = (secret: StoredSecret, versionId: string) => [...secret.stages].filter(([, v]) => v === versionId).map(([s]) => s);

  /** Moves a label onto a version; AWSCURRENT's old version becomes AWSPREVIOUS, as the service does. */
  function moveStage(secret: StoredSecret, stage: string, to: string): void {
    const from = secret.stages.get(stage);
    secret.stages.set(stage, to);
    if (stage === "AWSCURRENT" && from !== undefined && from !== to) secret.stages.set("AWSPREVIOUS", from);
  }

  function pendingVersion(secret: StoredSecret): string | undefined {
    const pending = secret.stages.get("AWSPENDING");
    return pending !== undefined && pending !== secret.stages.get("AWSCURRENT") ? pending : undefined;
  }

  const operations: Record<string, AwsJsonOperation> = {
    [`${PREFIX}.DescribeSecret`]: (input) => {
      const secret = find(requiredString(input, "SecretId"));
      const versionIdsToStages: Record<string, string[]> = {};
      for (const [stage, versionId] of secret.stages) (versionIdsToStages[versionId] ??= []).push(stage);
      return {
        ARN: secret.arn,
        Name: secret.name,
        RotationEnabled: options.rotationFunction !== undefined,
        CreatedDate: secret.createdAt,
        ...(secret.lastRotatedAt === undefined ? {} : { LastRotatedDate: secret.lastRotatedAt }),
        VersionIdsToStages: versionIdsToStages,
      };
    },
    [`${PREFIX}.GetSecretValue`]: (input) => {
      const secret = find(requiredString(input, "SecretId"));
      const versionId = optionalString(input, "VersionId");
      const stage = optionalString(input, "VersionStage") ?? (versionId === undefined ? "AWSCURRENT" : undefined);
      const id = versionId ?? secret.stages.get(stage!);
      const version = id === undefined ? undefined : secret.versions.get(id);
      if (!version || version.value === undefined || (stage !== undefined && secret.stages.get(stage) !== id)) {
        throw new AwsApiError("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label or VersionId.");
      }
      return { ARN: secret.arn, Name: secret.name, VersionId: id, SecretString: version.value, VersionStages: stagesOf(secret, id!), CreatedDate: version.createdAt };
    },
    [`${PREFIX}.PutSecretValue`]: (input) => {
      const secret = find(requiredString(input, "SecretId"));
      const token = requiredString(input, "ClientRequestToken");
      const value = requiredString(input, "SecretString");
      const stages = Array.isArray(input.VersionStages) ? (input.VersionStages as string[]) : ["AWSCURRENT"];
      const existing = secret.versions.get(token);
      // The token makes the call idempotent: the same value again succeeds, another value fails.
      if (existing && existing.value !== undefined && existing.value !== value) throw new AwsApiError("ResourceExistsException", `A version with ClientRequestToken ${token} already exists with a different value.`);
      if (!existing) secret.versions.set(token, { value, createdAt: options.nowSeconds() });
      else existing.value = value;
      for (const stage of stages) moveStage(secret, stage, token);
      return { ARN: secret.arn, Name: secret.name, VersionId: token, VersionStages: stagesOf(secret, token) };
    },
    [`${PREFIX}.UpdateSecretVersionStage`]: (input) => {
      const secret = find(requiredString(input, "SecretId"));
      const stage = requiredString(input, "VersionStage");
      const moveTo = optionalString(input, "MoveToVersionId");
      const removeFrom = optionalString(input, "RemoveFromVersionId");
      const holder = secret.stages.get(stage);
      if (holder !== undefined && holder !== moveTo && holder !== removeFrom) {
        throw new AwsApiError("InvalidParameterException", `The staging label ${stage} is currently attached to version ${holder}, but you have not specified it in RemoveFromVersionId.`);
      }
      if (moveTo !== undefined) {
        if (!secret.versions.has(moveTo)) throw new AwsApiError("ResourceNotFoundException", `version ${moveTo} not found`);
        moveStage(secret, stage, moveTo);
        if (stage === "AWSCURRENT") secret.lastRotatedAt = options.nowSeconds();
      } else if (holder !== undefined && holder === removeFrom) {
        secret.stages.delete(stage);
      }
      return { ARN: secret.arn, Name: secret.name };
    },
    [`${PREFIX}.ListSecretVersionIds`]: (input) => {
      const secret = find(requiredString(input, "SecretId"));
      const includeDeprecated = input.IncludeDeprecated === true;
      const versions = [...secret.versions]
        .map(([id, v]) => ({ VersionId: id, VersionStages: stagesOf(secret, id), CreatedDate: v.createdAt }))
        .filter((v) => includeDeprecated || v.VersionStages.length > 0);
      return { ARN: secret.arn, Name: secret.name, Versions: versions };
    },
    [`${PREFIX}.RotateSecret`]: async (input) => {
      const secret = find(requiredString(input, "SecretId"));
      if (!options.rotationFunction) throw new AwsApiError("InvalidRequestException", "rotation is not configured for this secret");
      const token = pendingVersion(secret) ?? optionalString(input, "ClientRequestToken") ?? randomUUID();
      beginRotation(secret, token);
      for (const step of STEPS) {
        try {
          await options.rotationFunction({ Step: step, SecretId: secret.arn, ClientRequestToken: token });
        } catch (error) {
          throw new AwsApiError("InvalidRequestException", `rotation failed at ${step}: ${(error as Error).message.split("\n")[0]}`);
        }
      }
      options.onRotated?.(secret.arn);
      return { ARN: secret.arn, Name: secret.name, VersionId: token };
    },
  };

  function beginRotation(secret: StoredSecret, token: string): void {
    if (!secret.versions.has(token)) secret.versions.set(token, { value: undefined, createdAt: options.nowSeconds() });
    if (secret.stages.get("AWSCURRENT") !== token) secret.stages.set("AWSPENDING", token);
  }

  return {
    operations,
    beginRotation: (secretId, token) => beginRotation(find(secretId), token),
    createSecret(name, value) {
      sequence++;
      const arn = `arn:aws:secretsmanager:${options.region}:000000000000:secret:${name}-${String(sequence).padStart(6, "0")}`;
      const now = options.nowSeconds();
      const versionId = randomUUID();
      const secret: StoredSecret = { arn, name, createdAt: now, versions: new Map([[versionId, { value, createdAt: now }]]), stages: new Map([["AWSCURRENT", versionId]]) };
      secrets.set(arn, secret);
      byName.set(name, secret);
      return arn;
    },
    currentValue(secretId) {
      const secret = find(secretId);
      return secret.versions.get(secret.stages.get("AWSCURRENT")!)!.value ?? "";
    },
  };
}

