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
import { DataArchiveFile } from "@cdktn/provider-archive/lib/data-archive-file";
import type { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import type { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import type { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { LambdaLayerVersion } from "@cdktn/provider-aws/lib/lambda-layer-version";
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import { ACCESS_FILE_NAME, type AccessFile, type AccessFileBinding } from "../lambdas/scope-checker/access-file";
import type { Route, ScopeCheckerSettings } from "../model/model-types";
import { nodeLambda } from "./node-lambda";
import { named, stackFileName } from "./terraform-names";

export interface ScopeCheckerProps {
  /** `<api>-<environment>`: names the function, role and log group. */
  readonly namePrefix: string;
  readonly restApiExecutionArn: string;
  readonly userPoolId: string;
  readonly resourceServerIdentifier: string;
  /** Other identifiers of the API's scopes while they move (RESOURCE_SERVER_ALIASES): tokens carrying those count as the canonical ones. */
  readonly resourceServerAliases?: readonly string[];
  /** Ids of the clients the checker lets through (Terraform expressions). */
  readonly clientIds: readonly string[];
  /** The routes the checker guards (scope names, all-of). */
  readonly routes: readonly Route[];
  /** Clients bound to a certificate (ids are Terraform expressions); absent: no binding in this environment. */
  readonly bindings?: readonly AccessFileBinding[];
  readonly settings: ScopeCheckerSettings;
  readonly logRetentionDays: number;
  /** Caps the checker's concurrency (and reserves it) when set. */
  readonly reservedConcurrency?: number;
  /** Path of the bundled handler (`index.mjs`), built once per synth. */
  readonly bundleFile: string;
}

/** The routes as the access file lists them (scope names; the Lambda prefixes the identifier). */
function accessFileRoutes(routes: readonly Route[]): AccessFile["routes"] {
  return routes.map((r) => ({ method: r.method, path: r.path, scopes: [...r.scopes], ...(r.requireBoundCertificate ? { requireBoundCertificate: true as const } : {}) }));
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

    // The access file: rendered by Terraform (client ids exist only after apply), zipped from
    // content (no file read during plan), published as a layer version the function uses.
    // Lambda unpacks layers into /opt: the handler reads /opt/access.json at cold start.
    const accessArchive = named(
      new DataArchiveFile(this, "access-archive", {
        type: "zip",
        sourceContent: Fn.jsonencode({ clientIds: props.clientIds, routes: accessFileRoutes(props.routes), ...(props.bindings ? { bindings: props.bindings } : {}) }),
        sourceContentFilename: ACCESS_FILE_NAME,
        outputPath: stackFileName(this, "scope-checker-access.zip"),
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

    const lambda = nodeLambda(this, {
      name: "scope_checker",
      functionName,
      description: "cognito-m2m scope checker: all-of scopes, client allow-list",
      bundleFile: props.bundleFile,
      archiveFile: stackFileName(this, "scope-checker.zip"),
      handler: "index.handler",
      memoryMb: props.settings.memoryMb,
      timeoutSeconds: props.settings.timeoutSeconds,
      logRetentionDays: props.logRetentionDays,
      reservedConcurrency: props.reservedConcurrency,
      layers: [this.accessLayer.arn],
      environment: {
        USER_POOL_ID: props.userPoolId,
        RESOURCE_SERVER_ID: props.resourceServerIdentifier,
        ...(props.resourceServerAliases?.length ? { RESOURCE_SERVER_ALIASES: props.resourceServerAliases.join(" ") } : {}),
      },
    });
    this.function = lambda.function;
    this.logGroup = lambda.logGroup;
    this.role = lambda.role;

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
