/**
 * M2M-LAM-001: API Gateway may invoke a function only as the authorizer that uses it, or as
 * the integration of one route: a backend's permission names that route's method ARN
 * (`<execution_arn>/<stage or *>/<METHOD>/<path, {param} as *>`), never every method (`*\/*`).
 */
import { interpolationsIn, referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import type { StackMetadata } from "../stack-metadata";
import { findByAddress, resourcesOf, type TerraformJson, type TerraformResource } from "../terraform-json";

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"]);

/** Literal text only: `*` inside an interpolation is Terraform syntax, not an ARN wildcard. */
function literalOf(sourceArn: string): string {
  return interpolationsIn(sourceArn).reduce((text, expr) => text.replace(`\${${expr}}`, ""), sourceArn);
}

function authorizerProblem(json: TerraformJson, sourceArn: string, functionName: unknown): string | undefined {
  if (literalOf(sourceArn).includes("*")) return `source_arn ${JSON.stringify(sourceArn)} is not scoped to one authorizer (…/authorizers/<id>)`;
  const authorizers = referencedAddresses(sourceArn, "aws_api_gateway_authorizer", ["id"]);
  const authorizer = authorizers.length === 1 ? findByAddress(json, authorizers[0]) : undefined;
  if (!authorizer) return `source_arn ${JSON.stringify(sourceArn)} names no authorizer of this stack`;
  const functions = referencedAddresses(functionName, "aws_lambda_function");
  if (functions.length === 1 && referencedAddresses(authorizer.body.authorizer_uri, "aws_lambda_function").every((f) => f !== functions[0])) {
    return `source_arn names ${authorizer.address}, which does not invoke ${functions[0]}`;
  }
  return undefined;
}

/** A backend's permission: `${<rest api>.execution_arn}/<stage>/<METHOD>/<path>`, one route's method. */
function methodProblem(sourceArn: string, metadata: StackMetadata): string | undefined {
  const prefix = /^\$\{aws_api_gateway_rest_api\.[\w-]+\.execution_arn\}/.exec(sourceArn)?.[0];
  const tail = prefix === undefined ? undefined : sourceArn.slice(prefix.length);
  const parts = tail !== undefined && !tail.includes("${") ? /^\/([^/]+)\/([^/]+)\/(.*)$/.exec(tail) : null;
  if (!parts) return `source_arn ${JSON.stringify(sourceArn)} is not scoped to one authorizer (…/authorizers/<id>) or to one route's method (<execution_arn>/<stage>/<METHOD>/<path>)`;
  const [, , method, path] = parts as unknown as [string, string, string, string];
  if (!METHODS.has(method)) return `source_arn ${JSON.stringify(sourceArn)} names method ${JSON.stringify(method)}, not an HTTP method`;
  const route = `${method}/${path}`;
  if (metadata.backendMethods !== undefined) {
    if (!metadata.backendMethods.includes(route)) {
      return `source_arn ${JSON.stringify(sourceArn)} allows ${route}, which is not the method of a route this function serves (${metadata.backendMethods.join(", ") || "none"})`;
    }
  } else if (method === "*" && path.split("/").every((s) => s === "*" || s === "")) {
    return `source_arn ${JSON.stringify(sourceArn)} allows every method on every path (*/*)`;
  }
  return undefined;
}

function permissionProblem(json: TerraformJson, metadata: StackMetadata, permission: TerraformResource): string | undefined {
  const { principal, action, source_arn: sourceArn, function_name: functionName } = permission.body;
  if (action !== "lambda:InvokeFunction") return `action is ${JSON.stringify(action ?? null)}, not lambda:InvokeFunction`;
  if (principal !== "apigateway.amazonaws.com") return `principal is ${JSON.stringify(principal ?? null)}, not apigateway.amazonaws.com`;
  if (typeof sourceArn !== "string") return "has no source_arn: any API Gateway API, in any account, could invoke the function";
  if (referencedAddresses(sourceArn, "aws_api_gateway_rest_api", ["execution_arn"]).length !== 1) return `source_arn ${JSON.stringify(sourceArn)} is not built on a REST API's execution_arn`;
  return sourceArn.includes("/authorizers/") ? authorizerProblem(json, sourceArn, functionName) : methodProblem(sourceArn, metadata);
}

export const lambdaPermissionRule: SecurityRule = {
  id: "M2M-LAM-001",
  rationale: "Lambda permissions for API Gateway carry a source_arn scoped to the authorizer (execution_arn/authorizers/<id>) or to the one route's method a backend serves, never */*",
  resourceTypes: ["aws_lambda_permission"],
  check({ json, metadata }) {
    const out = new OutcomeRecorder();
    for (const permission of resourcesOf(json, "aws_lambda_permission")) {
      const problem = permissionProblem(json, metadata, permission);
      out.expect(permission.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
