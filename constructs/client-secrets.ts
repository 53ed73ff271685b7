/**
 * Each client's credentials in AWS Secrets Manager, where consumer teams (and `m2m smoke`)
 * read them: client id, secret, token endpoint and scopes, as one JSON secret per client,
 * encrypted with the environment's client-secrets key. A client with consumers gets a resource
 * policy letting those principals read its secret (and nothing else).
 *
 * A rotating client's first value comes from the app client; from then on the rotation function
 * owns the value (see `initialVersion`). The values also sit in Terraform state: the state
 * backend must be encrypted and access-controlled.
 */
import { SecretsmanagerSecret } from "@cdktn/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretPolicy } from "@cdktn/provider-aws/lib/secretsmanager-secret-policy";
import { SecretsmanagerSecretVersion } from "@cdktn/provider-aws/lib/secretsmanager-secret-version";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import type { Environment } from "../model/model-types";
import type { AppClientRefs } from "./authorization-server";
import { addressOf, named } from "./terraform-names";

/**
 * Days a deleted secret stays restorable. A secret scheduled for deletion keeps its name for the
 * whole window, so re-creating it (destroy then redeploy, or a client removed and added back)
 * fails with "already scheduled for deletion". Development deletes at once (0): a re-create
 * works, at the cost that a deleted secret cannot be restored (its app client is deleted with
 * it anyway). Production keeps a window: 30 days with deletion protection, 7 without.
 */
export function secretRecoveryWindowDays(env: Pick<Environment, "kind" | "deletionProtection">): number {
  if (env.deletionProtection) return 30;
  return env.kind === "production" ? 7 : 0;
}

export interface ClientSecretsProps {
  /** `<api>/<environment>`: secrets are named `<prefix>/<client>`. */
  readonly namePrefix: string;
  /** Every client of the environment; a disabled one has no app client. */
  readonly clients: readonly {
    readonly name: string;
    readonly appClient?: AppClientRefs;
    readonly scopes: readonly string[];
    /** Its secret rotates: Terraform writes the first value only. */
    readonly rotates: boolean;
    /** IAM principals that may read the secret. */
    readonly consumers: readonly string[];
  }[];
  readonly tokenEndpoint: string;
  /** Days a deleted secret can still be restored: 0 (deleted at once) or 7–30. */
  readonly recoveryWindowInDays: number;
  /** The environment's customer-managed key. */
  readonly kmsKeyArn: string;
}

export class ClientSecrets extends Construct {
  /** Secrets by client name. */
  readonly secrets: ReadonlyMap<string, SecretsmanagerSecret>;
  /** A rotating client's first secret version, by client name: its rotation waits for it. */
  readonly initialVersions = new Map<string, SecretsmanagerSecretVersion>();

  constructor(scope: Construct, id: string, props: ClientSecretsProps) {
    super(scope, id);
    const secrets = new Map<string, SecretsmanagerSecret>();
    for (const client of props.clients) {
      const secret = named(
        new SecretsmanagerSecret(this, `secret-${client.name}`, {
          name: `${props.namePrefix}/${client.name}`,
          description: `OAuth client credentials of ${client.name} (client_credentials grant)`,
          recoveryWindowInDays: props.recoveryWindowInDays,
          kmsKeyId: props.kmsKeyArn,
        }),
        `client_${client.name}`,
      );
      const appClient = client.appClient;
      if (appClient && client.rotates) {
        this.initialVersion(client.name, secret, appClient, client.scopes, props.tokenEndpoint);
      } else {
        named(
          new SecretsmanagerSecretVersion(this, `secret-version-${client.name}`, {
            secretId: secret.id,
            // A cut-off client keeps its secret (name and ARN stay, consumers see why) without credentials.
            secretString: appClient
              ? Fn.jsonencode({ clientId: appClient.id, clientSecret: appClient.clientSecret, tokenEndpoint: props.tokenEndpoint, scopes: client.scopes })
              : JSON.stringify({ disabled: true, tokenEndpoint: props.tokenEndpoint }),
          }),
          `client_${client.name}`,
        );
      }
      if (client.consumers.length > 0) {
        named(
          new SecretsmanagerSecretPolicy(this, `secret-policy-${client.name}`, {
            secretArn: secret.arn,
            blockPublicPolicy: true,
            policy: JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "ConsumersReadThisSecret",
                  Effect: "Allow",
                  Principal: { AWS: [...client.consumers] },
                  Action: ["secretsmanager:GetSecretValue"],
                  // In a resource policy "*" is this secret.
                  Resource: "*",
                  // A version can carry several labels: the key is a set, so a set operator.
                  Condition: { "ForAnyValue:StringEquals": { "secretsmanager:VersionStage": "AWSCURRENT" } },
                },
                // DescribeSecret carries no VersionStage key: under that condition it was never granted.
                { Sid: "ConsumersDescribeThisSecret", Effect: "Allow", Principal: { AWS: [...client.consumers] }, Action: ["secretsmanager:DescribeSecret"], Resource: "*" },
              ],
            }),
          }),
          `client_${client.name}`,
        );
      }
      secrets.set(client.name, secret);
    }
    this.secrets = secrets;
  }

  /**
   * The first value of a rotating client's secret. After it is created the value belongs to the
   * rotation function: each rotation adds a Cognito secret and a new version, so Terraform's
   * configured value (built from the app client's `client_secret`, which Cognito no longer
   * reports once the secret it created is rotated out) would be stale. `ignore_changes` on
   * `secret_string` is what keeps the plan after a rotation empty instead of writing the old
   * secret back as AWSCURRENT (an outage for every caller). The version is replaced only when
   * the app client is (a new client id: the old credentials are void anyway). It has its own
   * address, so a client that starts or stops rotating, or is re-enabled, gets a fresh version.
   */
  private initialVersion(name: string, secret: SecretsmanagerSecret, appClient: AppClientRefs, scopes: readonly string[], tokenEndpoint: string): void {
    this.initialVersions.set(name, named(
      new SecretsmanagerSecretVersion(this, `secret-initial-version-${name}`, {
        secretId: secret.id,
        secretString: Fn.jsonencode({ clientId: appClient.id, clientSecret: appClient.clientSecret, tokenEndpoint, scopes }),
        lifecycle: { ignoreChanges: ["secret_string", "version_stages"], replaceTriggeredBy: [`${addressOf(appClient.resource)}.id`] },
      }),
      `client_${name}_initial`,
    ));
  }
}
