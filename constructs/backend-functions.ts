/**
 * What Lambda backends need besides the integration: one function per handler (file and
 * export) of this repository, and one invoke permission per route, for handlers here and for
 * existing functions by ARN. Each permission's source_arn is that route's method ARN
 * (`<execution_arn>/*\/<METHOD>/<path, {param} as *>`): no other method, API or account may
 * invoke the function through API Gateway, and never `*\/*`.
 */
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { Construct } from "constructs";
import { backendFunctionName, methodArnSuffix, regionOfFunctionArn } from "../model/backends";
import type { BackendFunction, Route } from "../model/model-types";
import { nodeLambda, type NodeLambda } from "./node-lambda";
import { named, stackFileName } from "./terraform-names";

export interface BackendFunctionsProps {
  readonly apiName: string;
  readonly environmentName: string;
  readonly functions: readonly BackendFunction[];
  readonly routes: readonly Route[];
  readonly restApiExecutionArn: string;
  readonly logRetentionDays: number;
  /** The bundle (`index.mjs`) of each function, by key, built once per synth. */
  readonly bundleFiles: ReadonlyMap<string, string>;
}

/** `arn:<partition>:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations` */
export function lambdaInvokeUri(functionArn: string): string {
  const partition = functionArn.split(":")[1] ?? "aws";
  return `arn:${partition}:apigateway:${regionOfFunctionArn(functionArn)}:lambda:path/2015-03-31/functions/${functionArn}/invocations`;
}

/** Terraform name part of a backend function: `backend_payments`. */
const backendFunctionTerraformName = (key: string) => `backend_${key.replace(/-/g, "_")}`;

export class BackendFunctions extends Construct {
  /** The functions built here, by key. */
  readonly functions: ReadonlyMap<string, NodeLambda>;
  readonly permissions: readonly LambdaPermission[];

  constructor(scope: Construct, id: string, props: BackendFunctionsProps) {
    super(scope, id);
    const functions = new Map<string, NodeLambda>();
    for (const fn of props.functions) {
      const bundleFile = props.bundleFiles.get(fn.key);
      if (!bundleFile) throw new Error(`backend function ${fn.key} has no bundle`);
      const name = backendFunctionTerraformName(fn.key);
      functions.set(
        fn.key,
        nodeLambda(new Construct(this, fn.key), {
          name,
          functionName: backendFunctionName(props.apiName, props.environmentName, fn.key),
          description: `cognito-m2m backend ${fn.file}#${fn.exportName}`,
          bundleFile,
          archiveFile: stackFileName(this, `${name}.zip`),
          handler: `index.${fn.exportName}`,
          memoryMb: fn.memoryMb,
          timeoutSeconds: fn.timeoutSeconds,
          logRetentionDays: props.logRetentionDays,
          environment: fn.environment,
          ...(fn.reservedConcurrency[props.environmentName] === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency[props.environmentName] }),
          statements: fn.permissions.map((p, i) => ({ Sid: `Declared${i + 1}`, Effect: "Allow", Action: p.actions, Resource: p.resources })),
        }),
      );
    }
    this.functions = functions;

    const permissions: LambdaPermission[] = [];
    for (const route of props.routes) {
      const backend = route.backend;
      let functionName: string;
      if (backend.type === "lambda") functionName = functions.get(backend.functionKey)!.function.functionName;
      else if (backend.type === "lambda-arn") functionName = backend.functionArn;
      else continue;
      permissions.push(
        named(
          new LambdaPermission(this, `permission-${route.key}`, {
            statementId: `AllowApiGateway-${route.key}`,
            action: "lambda:InvokeFunction",
            functionName,
            principal: "apigateway.amazonaws.com",
            // This route's method, in any stage of this API only.
            sourceArn: `${props.restApiExecutionArn}/*/${methodArnSuffix(route.method, route.path)}`,
          }),
          `backend_${route.key}`,
        ),
      );
    }
    this.permissions = permissions;
  }

  /** The invoke URI an `aws_proxy` integration of `route` calls (undefined for other backends). */
  invokeUriOf(route: Route): string | undefined {
    if (route.backend.type === "lambda") return this.functions.get(route.backend.functionKey)!.function.invokeArn;
    if (route.backend.type === "lambda-arn") return lambdaInvokeUri(route.backend.functionArn);
    return undefined;
  }
}
