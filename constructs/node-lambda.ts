/**
 * One Node.js Lambda function from a bundle built at synth: the bundle as a Terraform asset,
 * zipped by the archive provider (fixed file mode, so the hash is the same on every machine),
 * its own log group with retention, a role that may write only to that log group (plus X-Ray,
 * plus the statements the caller declares), and the function on nodejs22.x / arm64 with active
 * tracing and JSON logs. The scope checker and every backend function are built from it.
 */
import { DataArchiveFile } from "@cdktn/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { AssetType, Fn, TerraformAsset } from "cdktn";
import { Construct } from "constructs";
import { DECLARED_PERMISSIONS_POLICY } from "../model/backends";
import { named } from "./terraform-names";


export interface IamStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

export interface NodeLambdaProps {
  /** Terraform name of the function, role, log group and archive (their types differ), e.g. `scope_checker`. */
  readonly name: string;
  readonly functionName: string;
  readonly description: string;
  /** Path of the bundled handler (`index.mjs`), built once per synth. */
  readonly bundleFile: string;
  /** The zip's file name, relative to the stack directory. */
  readonly archiveFile: string;
  /** `index.<export>` */
  readonly handler: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly environment?: Readonly<Record<string, string>>;
  /** Layer version ARNs the function uses (unpacked under /opt). @default none */
  readonly layers?: readonly string[];
  readonly reservedConcurrency?: number;
  /** Statements beyond writing its own logs, in a separate `declared-permissions` policy. @default none */
  readonly statements?: readonly IamStatement[];
}

const assumeRolePolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

export interface NodeLambda {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
}

/**
 * Adds the function's resources to `scope` (ids `log-group`, `role`, `log-policy`, `bundle`,
 * `archive`, `function`), not to a construct of its own: construct paths, and with them the
 * asset directory names, stay those the scope checker had before this was shared.
 */
export function nodeLambda(scope: Construct, props: NodeLambdaProps): NodeLambda {
  const { name, functionName } = props;

  const logGroup = named(new CloudwatchLogGroup(scope, "log-group", { name: `/aws/lambda/${functionName}`, retentionInDays: props.logRetentionDays }), name);

  const role = named(new IamRole(scope, "role", { name: functionName, assumeRolePolicy }), name);
  const policies = [
    named(
      new IamRolePolicy(scope, "log-policy", {
        name: "write-own-log-group",
        role: role.id,
        // The log group exists (Terraform made it, with retention): no CreateLogGroup, no wildcard.
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroup.arn}:*` },
            // X-Ray has no resource-level permissions: these two actions only work on "*".
            { Sid: "XRayWriteNoResourceLevelPermissions", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
          ],
        }),
      }),
      `${name}_logs`,
    ),
  ];
  if (props.statements && props.statements.length > 0) {
    policies.push(
      named(
        new IamRolePolicy(scope, "declared-policy", {
          name: DECLARED_PERMISSIONS_POLICY,
          role: role.id,
          policy: JSON.stringify({ Version: "2012-10-17", Statement: props.statements }),
        }),
        `${name}_permissions`,
      ),
    );
  }

  const bundle = new TerraformAsset(scope, "bundle", { path: props.bundleFile, type: AssetType.FILE });
  const archive = named(
    new DataArchiveFile(scope, "archive", {
      type: "zip",
      sourceFile: bundle.path,
      outputPath: props.archiveFile,
      // Same bytes on every machine (umask differs), so source_code_hash never drifts.
      outputFileMode: "0644",
    }),
    name,
  );

  const variables = props.environment ?? {};
  const fn = named(
    new LambdaFunction(scope, "function", {
      functionName,
      description: props.description,
      role: role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: props.handler,
      filename: archive.outputPath,
      sourceCodeHash: archive.outputBase64Sha256,
      // The deployed code is compared with this (provider >= 6.27): a change made outside Terraform is drift in the next plan.
      codeSha256: archive.outputBase64Sha256,
      ...(props.layers && props.layers.length > 0 ? { layers: [...props.layers] } : {}),
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      tracingConfig: { mode: "Active" },
      // JSON log events, so metric filters (JSON patterns, e.g. the scope checker's fail-closed
      // filter) can match the records; levels explicit, so the plan shows no drift from AWS's defaults.
      loggingConfig: { logFormat: "JSON", applicationLogLevel: "INFO", systemLogLevel: "INFO" },
      ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
      ...(Object.keys(variables).length === 0 ? {} : { environment: { variables: { ...variables } } }),
      // Logs go to the managed group (with retention) from the first invocation.
      dependsOn: [logGroup, ...policies],
    }),
    name,
  );
  return { function: fn, logGroup, role };
}
