/**
 * Where each client's credentials live and how they change: the environment's client-secrets
 * key, one Secrets Manager secret per client, and, when any client's secret rotates, the
 * rotation function with a schedule per rotating client. One call from the stack.
 */
import type { Construct } from "constructs";
import type { Environment } from "../model/model-types";
import type { AuthorizationServer } from "./authorization-server";
import { ClientSecrets, secretRecoveryWindowDays } from "./client-secrets";
import { ClientSecretsKey } from "./client-secrets-key";
import { SecretRotation } from "./secret-rotation";

export interface ClientCredentialsProps {
  /** The authorization server's name: secrets are `<name>/<environment>/<client>`. */
  readonly serverName: string;
  readonly environment: Environment;
  readonly auth: AuthorizationServer;
  /** The rotation function's bundle: required when a client of the environment rotates. */
  readonly secretRotationBundle?: string;
  /** Called once before the rotation function is built (it zips its bundle). */
  readonly needsArchiveProvider: () => void;
}

export interface ClientCredentials {
  readonly secrets: ClientSecrets;
  /** The rotation function, when a client of the environment rotates. */
  readonly rotation?: SecretRotation;
}

export function createClientCredentials(scope: Construct, props: ClientCredentialsProps): ClientCredentials {
  const { environment: env, auth } = props;
  const namePrefix = `${props.serverName}-${env.name}`;
  const secretNamePrefix = `${props.serverName}/${env.name}`;
  const rotating = env.clients.filter((c) => c.secretRotationDays !== undefined && auth.clients.has(c.name));
  let rotation: SecretRotation | undefined;
  if (rotating.length > 0) {
    if (!props.secretRotationBundle) throw new Error("client secrets rotate but no rotation bundle was built");
    props.needsArchiveProvider();
    rotation = new SecretRotation(scope, "secret-rotation", {
      namePrefix,
      region: env.region,
      userPoolId: auth.userPoolId,
      userPoolArn: auth.userPool.arn,
      tokenEndpoint: auth.tokenEndpoint,
      graceSeconds: env.secretRotationGraceSeconds,
      logRetentionDays: env.logRetentionDays,
      bundleFile: props.secretRotationBundle,
    });
  }
  const key = new ClientSecretsKey(scope, "client-secrets-key", {
    namePrefix,
    region: env.region,
    secretNamePrefix,
    ...(rotation ? { rotationRoleArn: rotation.role.arn } : {}),
    consumers: new Map(env.clients.map((c) => [c.name, c.consumers])),
  });
  const secrets = new ClientSecrets(scope, "client-secrets", {
    namePrefix: secretNamePrefix,
    clients: env.clients.map((c) => ({
      name: c.name,
      appClient: auth.clients.has(c.name) ? auth.clientRefs(c.name) : undefined,
      scopes: c.scopes.map((g) => auth.grantIdentifier(g)),
      rotates: rotating.includes(c),
      consumers: c.consumers,
    })),
    tokenEndpoint: auth.tokenEndpoint,
    recoveryWindowInDays: secretRecoveryWindowDays(env),
    kmsKeyArn: key.key.arn,
  });
  rotation?.rotate(
    rotating.map((c) => ({ client: c.name, secret: secrets.secrets.get(c.name)!, everyDays: c.secretRotationDays!, initialVersion: secrets.initialVersions.get(c.name) })),
    key.key.arn,
    key.accountId,
  );
  return { secrets, ...(rotation ? { rotation } : {}) };
}
