/**
 * The environment's client-secret rotation function (lambdas/secret-rotation), bundled like the
 * scope checker, and a Secrets Manager rotation schedule per rotating client. Its role may write
 * its own log group, manage client secrets of this user pool only, run the rotation steps on
 * this environment's rotating secrets only, and use the client-secrets key only through Secrets
 * Manager. Only Secrets Manager, for those secrets and this account, may invoke it.
 *
 * Built in two steps: the role first (the key policy names it), then, once the secrets exist,
 * `rotate()` grants access to them and schedules their rotation.
 */
import { DataArchiveFile } from "@cdktn/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import type { SecretsmanagerSecret } from "@cdktn/provider-aws/lib/secretsmanager-secret";
import { SecretsmanagerSecretRotation } from "@cdktn/provider-aws/lib/secretsmanager-secret-rotation";
import { AssetType, Fn, TerraformAsset, type TerraformResource } from "cdktn";
import { Construct } from "constructs";
import { ROTATION_COGNITO_ACTIONS, ROTATION_KMS_ACTIONS, ROTATION_SECRETS_MANAGER_ACTIONS } from "../model/rotation-grants";
import { named } from "./terraform-names";

export interface SecretRotationProps {
  /** `<api>-<environment>`: names the function, role and log group. */
  readonly namePrefix: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolArn: string;
  /** The only URL testSecret sends a pending secret to. */
  readonly tokenEndpoint: string;
  readonly graceSeconds: number;
  readonly logRetentionDays: number;
  /** Path of the bundled handler (`index.mjs`), built once per synth. */
  readonly bundleFile: string;
}

export interface RotatedSecret {
  readonly client: string;
  readonly secret: SecretsmanagerSecret;
  readonly everyDays: number;
  /** The secret's first version: Secrets Manager tests the function when rotation is set, which needs an AWSCURRENT. */
  readonly initialVersion?: TerraformResource;
}

const assumeRolePolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});


export class SecretRotation extends Construct {
  readonly role: IamRole;
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  private readonly props: SecretRotationProps;

  constructor(scope: Construct, id: string, props: SecretRotationProps) {
    super(scope, id);
    this.props = props;
    const functionName = `${props.namePrefix}-secret-rotation`;
    this.logGroup = named(new CloudwatchLogGroup(this, "log-group", { name: `/aws/lambda/${functionName}`, retentionInDays: props.logRetentionDays }), "secret_rotation");
    this.role = named(new IamRole(this, "role", { name: functionName, assumeRolePolicy }), "secret_rotation");
    const logPolicy = named(
      new IamRolePolicy(this, "log-policy", {
        name: "write-own-log-group",
        role: this.role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${this.logGroup.arn}:*` },
            // X-Ray has no resource-level permissions: these two actions only work on "*".
            { Sid: "XRayWriteNoResourceLevelPermissions", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
          ],
        }),
      }),
      "secret_rotation_logs",
    );

    const bundle = new TerraformAsset(this, "bundle", { path: props.bundleFile, type: AssetType.FILE });
    const archive = named(
      new DataArchiveFile(this, "archive", { type: "zip", sourceFile: bundle.path, outputPath: "secret-rotation.zip", outputFileMode: "0644" }),
      "secret_rotation",
    );
    this.function = named(
      new LambdaFunction(this, "function", {
        functionName,
        description: "cognito-m2m client-secret rotation: two Cognito secrets per client, Secrets Manager stages",
        role: this.role.arn,
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        filename: archive.outputPath,
        sourceCodeHash: archive.outputBase64Sha256,
        // The deployed code is compared with this (provider >= 6.27): a change made outside Terraform is drift in the next plan.
        codeSha256: archive.outputBase64Sha256,
        memorySize: 256,
        // testSecret retries a refused new secret for up to ~8 s; each step makes a handful of API calls.
        timeout: 60,
        tracingConfig: { mode: "Active" },
        environment: { variables: { USER_POOL_ID: props.userPoolId, TOKEN_ENDPOINT: props.tokenEndpoint, GRACE_PERIOD_SECONDS: String(props.graceSeconds) } },
        dependsOn: [this.logGroup, logPolicy],
      }),
      "secret_rotation",
    );
  }

  /** Grants the function the rotating secrets and the key, lets Secrets Manager invoke it for them, and schedules each. */
  rotate(secrets: readonly RotatedSecret[], keyArn: string, accountId: string): void {
    const accessPolicy = named(
      new IamRolePolicy(this, "access-policy", {
        name: "rotate-client-secrets",
        role: this.role.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Sid: "ClientSecretsOfThisPool", Effect: "Allow", Action: [...ROTATION_COGNITO_ACTIONS], Resource: this.props.userPoolArn },
            { Sid: "RotateThisEnvironmentsSecrets", Effect: "Allow", Action: [...ROTATION_SECRETS_MANAGER_ACTIONS], Resource: secrets.map((s) => s.secret.arn) },
            {
              Sid: "ClientSecretsKeyThroughSecretsManager",
              Effect: "Allow",
              Action: [...ROTATION_KMS_ACTIONS],
              Resource: keyArn,
              Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${this.props.region}.amazonaws.com` } },
            },
          ],
        }),
      }),
      "secret_rotation_access",
    );
    for (const { client, secret, everyDays, initialVersion } of secrets) {
      const permission = named(
        new LambdaPermission(this, `permission-${client}`, {
          statementId: `AllowSecretsManager-${client}`,
          action: "lambda:InvokeFunction",
          functionName: this.function.functionName,
          principal: "secretsmanager.amazonaws.com",
          // Only Secrets Manager, rotating this secret, in this account.
          sourceArn: secret.arn,
          sourceAccount: accountId,
        }),
        `secret_rotation_${client}`,
      );
      named(
        new SecretsmanagerSecretRotation(this, `rotation-${client}`, {
          secretId: secret.id,
          rotationLambdaArn: this.function.arn,
          rotationRules: { automaticallyAfterDays: everyDays },
          // The first rotation follows the schedule: an apply never rotates a secret as a side effect.
          rotateImmediately: false,
          dependsOn: [permission, accessPolicy, ...(initialVersion ? [initialVersion] : [])],
        }),
        `client_${client}`,
      );
    }
  }
}
