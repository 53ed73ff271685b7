/**
 * The Lambda scope checker: the function behind the REQUEST authorizer (declared in the API's
 * OpenAPI document) for routes that need all of several scopes and an enabled client. The
 * bundle (built once per synth) becomes a Terraform asset, zipped by the archive provider. The
 * access file (the client allow-list and the routes) is rendered by Terraform from the app
 * clients' ids, zipped from that content and published as a layer version of the function, so
 * the allow-list has no environment-size limit, is read from local disk at cold start, and a
 * change of it updates the function (new execution environments), like a code change. The
 * function may only write to its own log group.
 */
import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaLayerVersion } from "@cdktf/provider-aws/lib/lambda-layer-version";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AssetType, Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { ACCESS_FILE_NAME, type AccessFile } from "../lambdas/scope-checker/access-file";
import type { Route, ScopeCheckerSettings } from "../model/model-types";
import { named } from "./terraform-names";

export interface ScopeCheckerProps {
  /** `<api>-<environment>`: names the function, role and log group. */
  readonly namePrefix: string;
  readonly restApiExecutionArn: string;
  readonly userPoolId: string;
  readonly resourceServerIdentifier: string;
  /** Ids of the clients the checker lets through (Terraform expressions). */
  readonly clientIds: readonly string[];
  /** The routes the checker guards (scope names, all-of). */
  readonly routes: readonly Route[];
  readonly settings: ScopeCheckerSettings;
  readonly logRetentionDays: number;
  /** Caps the checker's concurrency (and reserves it) when set. */
  readonly reservedConcurrency?: number;
  /** Path of the bundled handler (`index.mjs`), built once per synth. */
  readonly bundleFile: string;
}

const assumeRolePolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** The routes as the access file lists them (scope names; the Lambda prefixes the identifier). */
function accessFileRoutes(routes: readonly Route[]): AccessFile["routes"] {
  return routes.map((r) => ({ method: r.method, path: r.path, scopes: [...r.scopes] }));
}

export class ScopeChecker extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  /** The access file (allow-list and routes), as the layer version the function uses. */
  readonly accessLayer: LambdaLayerVersion;

  constructor(scope: Construct, id: string, props: ScopeCheckerProps) {
    super(scope, id);
    const functionName = `${props.namePrefix}-scope-checker`;

    this.logGroup = named(
      new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/lambda/${functionName}`,
        retentionInDays: props.logRetentionDays,
      }),
      "scope_checker",
    );

    this.role = named(new IamRole(this, "role", { name: functionName, assumeRolePolicy }), "scope_checker");
    const logPolicy = named(
      new IamRolePolicy(this, "log-policy", {
        name: "write-own-log-group",
        role: this.role.id,
        // The log group exists (Terraform made it, with retention): no CreateLogGroup, no wildcard.
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${this.logGroup.arn}:*` },
            // X-Ray has no resource-level permissions: these two actions only work on "*".
            { Sid: "XRayWriteNoResourceLevelPermissions", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
          ],
        }),
      }),
      "scope_checker_logs",
    );

    const bundle = new TerraformAsset(this, "bundle", { path: props.bundleFile, type: AssetType.FILE });
    const archive = named(
      new DataArchiveFile(this, "archive", {
        type: "zip",
        sourceFile: bundle.path,
        outputPath: "scope-checker.zip",
        // Same bytes on every machine (umask differs), so source_code_hash never drifts.
        outputFileMode: "0644",
      }),
      "scope_checker",
    );

    // The access file: rendered by Terraform (client ids exist only after apply), zipped from
    // content (no file read during plan), published as a layer version the function uses.
    // Lambda unpacks layers into /opt: the handler reads /opt/access.json at cold start.
    const accessArchive = named(
      new DataArchiveFile(this, "access-archive", {
        type: "zip",
        sourceContent: Fn.jsonencode({ clientIds: props.clientIds, routes: accessFileRoutes(props.routes) }),
        sourceContentFilename: ACCESS_FILE_NAME,
        outputPath: "scope-checker-access.zip",
        outputFileMode: "0644",
      }),
      "scope_checker_access",
    );
    // Versions are immutable: a new allow-list is a new version, and the function's update to
    // it is what starts fresh execution environments (a cut-off takes effect with the deploy).
    this.accessLayer = named(
      new LambdaLayerVersion(this, "access-layer", {
        layerName: `${functionName}-access`,
        description: "cognito-m2m scope checker: client allow-list and routes (access.json)",
        filename: accessArchive.outputPath,
        sourceCodeHash: accessArchive.outputBase64Sha256,
        compatibleRuntimes: ["nodejs22.x"],
        compatibleArchitectures: ["arm64"],
      }),
      "scope_checker_access",
    );

    this.function = named(
      new LambdaFunction(this, "function", {
        functionName,
        description: "cognito-m2m scope checker: all-of scopes, client allow-list",
        role: this.role.arn,
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        filename: archive.outputPath,
        sourceCodeHash: archive.outputBase64Sha256,
        layers: [this.accessLayer.arn],
        memorySize: props.settings.memoryMb,
        timeout: props.settings.timeoutSeconds,
        tracingConfig: { mode: "Active" },
        // JSON log events, so the fail-closed metric filter (a JSON pattern) can match the
        // checker's records; levels explicit, so the plan shows no drift from AWS's defaults.
        loggingConfig: { logFormat: "JSON", applicationLogLevel: "INFO", systemLogLevel: "INFO" },
        ...(props.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: props.reservedConcurrency }),
        environment: {
          variables: {
            USER_POOL_ID: props.userPoolId,
            RESOURCE_SERVER_ID: props.resourceServerIdentifier,
          },
        },
        // Logs go to the managed group (with retention) from the first invocation.
        dependsOn: [this.logGroup, logPolicy],
      }),
      "scope_checker",
    );

    named(
      new LambdaPermission(this, "permission", {
        statementId: "AllowApiGatewayAuthorizer",
        action: "lambda:InvokeFunction",
        functionName: this.function.functionName,
        principal: "apigateway.amazonaws.com",
        // Only this API's authorizers may invoke the function. The authorizer itself is part of
        // the API's OpenAPI document, so its id is made by the put and unknown to Terraform.
        sourceArn: `${props.restApiExecutionArn}/authorizers/*`,
      }),
      "scope_checker",
    );
  }
}
