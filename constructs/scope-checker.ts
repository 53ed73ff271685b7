/**
 * The Lambda scope checker: the function behind the REQUEST authorizer (declared in the API's
 * OpenAPI document) for routes that need all of several scopes and an enabled client. The bundle (built once per synth) becomes a Terraform asset, zipped
 * by the archive provider; the function may only write to its own log group.
 */
import type { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { Route, ScopeCheckerSettings } from "../model/model-types";
import { nodeLambda } from "./node-lambda";
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

export class ScopeChecker extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ScopeCheckerProps) {
    super(scope, id);
    const lambda = nodeLambda(this, {
      name: "scope_checker",
      functionName: `${props.namePrefix}-scope-checker`,
      description: "cognito-m2m scope checker: all-of scopes, client allow-list",
      bundleFile: props.bundleFile,
      archiveFile: "scope-checker.zip",
      handler: "index.handler",
      memoryMb: props.settings.memoryMb,
      timeoutSeconds: props.settings.timeoutSeconds,
      logRetentionDays: props.logRetentionDays,
      reservedConcurrency: props.reservedConcurrency,
      environment: {
        USER_POOL_ID: props.userPoolId,
        RESOURCE_SERVER_ID: props.resourceServerIdentifier,
        CLIENT_IDS: Fn.jsonencode(props.clientIds),
        ROUTES: JSON.stringify(props.routes.map((r) => ({ method: r.method, path: r.path, scopes: r.scopes }))),
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
