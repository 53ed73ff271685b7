/**
 * The customer-managed KMS key of one environment's client secrets. Its policy names who may use
 * it and nothing else: the account (administration through IAM, as a default key policy does),
 * the rotation function's role, and each client's consumer principals, each only through Secrets
 * Manager (`kms:ViaService`) and only for the secrets it may read (the `SecretARN` encryption
 * context Secrets Manager sets). The secrets' ARNs are matched by name pattern, not referenced:
 * the secrets name this key, so a reference back would be a dependency cycle.
 */
import { DataAwsCallerIdentity } from "@cdktn/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktn/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface ClientSecretsKeyProps {
  /** `<api>-<environment>`: names the alias. */
  readonly namePrefix: string;
  readonly region: string;
  /** `<api>/<environment>`: the secrets are `<prefix>/<client>`. */
  readonly secretNamePrefix: string;
  /** The rotation function's role, when the environment rotates secrets. */
  readonly rotationRoleArn?: string;
  /** Client name -> IAM principals allowed to decrypt that client's secret. */
  readonly consumers: ReadonlyMap<string, readonly string[]>;
}

export class ClientSecretsKey extends Construct {
  readonly key: KmsKey;
  readonly accountId: string;
  readonly partition: string;

  constructor(scope: Construct, id: string, props: ClientSecretsKeyProps) {
    super(scope, id);
    this.accountId = named(new DataAwsCallerIdentity(this, "account"), "client_secrets").accountId;
    this.partition = named(new DataAwsPartition(this, "partition"), "client_secrets").partition;
    const viaSecretsManager = `secretsmanager.${props.region}.amazonaws.com`;
    // Secrets Manager appends "-" and six characters to a secret's name in its ARN.
    const secretArn = (name: string) => `arn:${this.partition}:secretsmanager:${props.region}:${this.accountId}:secret:${name}`;
    const statements: unknown[] = [
      { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${this.partition}:iam::${this.accountId}:root` }, Action: "kms:*", Resource: "*" },
    ];
    if (props.rotationRoleArn !== undefined) {
      statements.push({
        Sid: "RotationFunctionThroughSecretsManager",
        Effect: "Allow",
        Principal: { AWS: props.rotationRoleArn },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": viaSecretsManager },
          StringLike: { "kms:EncryptionContext:SecretARN": secretArn(`${props.secretNamePrefix}/*`) },
        },
      });
    }
    for (const [client, principals] of props.consumers) {
      if (principals.length === 0) continue;
      statements.push({
        // Client names are lowercase slugs: an upper-case X for each hyphen keeps Sids alphanumeric and distinct.
        Sid: `Consumers${client.replace(/-/g, "X")}ReadOwnSecret`,
        Effect: "Allow",
        Principal: { AWS: [...principals] },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
          StringEquals: { "kms:ViaService": viaSecretsManager },
          StringLike: { "kms:EncryptionContext:SecretARN": secretArn(`${props.secretNamePrefix}/${client}-??????`) },
        },
      });
    }
    this.key = named(
      new KmsKey(this, "key", {
        description: `Encrypts the client secrets of ${props.namePrefix}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: Fn.jsonencode({ Version: "2012-10-17", Statement: statements }),
      }),
      "client_secrets",
    );
    named(new KmsAlias(this, "alias", { name: `alias/${props.namePrefix}-client-secrets`, targetKeyId: this.key.keyId }), "client_secrets");
  }
}
