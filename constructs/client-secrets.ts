/**
 * Each client's credentials in AWS Secrets Manager, where consumer teams (and `m2m smoke`)
 * read them: client id, secret, token endpoint and scopes, as one JSON secret per client.
 * The values also sit in Terraform state: the state backend must be encrypted and access-controlled.
 */
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/secretsmanager-secret-version";
import type { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { Environment } from "../model/model-types";
import { named } from "./terraform-names";

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
  readonly clients: readonly { readonly name: string; readonly appClient?: CognitoUserPoolClient; readonly scopes: readonly string[] }[];
  readonly tokenEndpoint: string;
  /** Days a deleted secret can still be restored: 0 (deleted at once) or 7–30. */
  readonly recoveryWindowInDays: number;
}

export class ClientSecrets extends Construct {
  /** Secrets by client name. */
  readonly secrets: ReadonlyMap<string, SecretsmanagerSecret>;

  constructor(scope: Construct, id: string, props: ClientSecretsProps) {
    super(scope, id);
    const secrets = new Map<string, SecretsmanagerSecret>();
    for (const client of props.clients) {
      const secret = named(
        new SecretsmanagerSecret(this, `secret-${client.name}`, {
          name: `${props.namePrefix}/${client.name}`,
          description: `OAuth client credentials of ${client.name} (client_credentials grant)`,
          recoveryWindowInDays: props.recoveryWindowInDays,
        }),
        `client_${client.name}`,
      );
      named(
        new SecretsmanagerSecretVersion(this, `secret-version-${client.name}`, {
          secretId: secret.id,
          // A cut-off client keeps its secret (name and ARN stay, consumers see why) without credentials.
          secretString: client.appClient
            ? Fn.jsonencode({
                clientId: client.appClient.id,
                clientSecret: client.appClient.clientSecret,
                tokenEndpoint: props.tokenEndpoint,
                scopes: client.scopes,
              })
            : JSON.stringify({ disabled: true, tokenEndpoint: props.tokenEndpoint }),
        }),
        `client_${client.name}`,
      );
      secrets.set(client.name, secret);
    }
    this.secrets = secrets;
  }
}
