/**
 * M2M-LAM-001: API Gateway may invoke a function only as an authorizer of this project's API,
 * or as the integration of one route: a backend's permission names that route's method ARN
 * (`<execution_arn>/<stage or *>/<METHOD>/<path, {param} as *>`), never every method (`*\/*`);
 * Secrets Manager only to rotate one secret of this stack, in this account.
 */
import { apiDefinitionsOf, authorizersOf } from "../api-definitions";
import { exactReference, referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import type { StackMetadata } from "../stack-metadata";
import { findByAddress, resourcesOf, type TerraformJson, type TerraformResource } from "../terraform-json";

// `${<rest api>.execution_arn}/authorizers/<authorizer>`: `<authorizer>` an authorizer resource's
// id, or `*` for the authorizers the API's OpenAPI document declares (the put makes their ids).
const SCOPED_TO_AUTHORIZERS = /^(\$\{[^}]+\})\/authorizers\/(\*|\$\{[^}]+\})$/;

/** A rotation invoke: source_arn is exactly one secret of this stack, source_account is set (a secret ARN names its account, but the confused-deputy guard is the account). */
function rotationPermissionProblem(json: TerraformJson, permission: TerraformResource): string | undefined {
  const secret = exactReference(permission.body.source_arn);
  if (!secret || !secret.address.startsWith("aws_secretsmanager_secret.") || secret.attribute !== "arn" || !findByAddress(json, secret.address)) {
    return `source_arn ${JSON.stringify(permission.body.source_arn ?? null)} is not the arn of one secret of this stack: any secret could have the function rotate it`;
  }
  if (typeof permission.body.source_account !== "string" || permission.body.source_account === "") return "has no source_account: Secrets Manager acting for another account could invoke the function";
  return undefined;
}

/** Whether a put on `restApi` declares a REQUEST/TOKEN authorizer whose URI is `fn`'s. */
function documentAuthorizerInvokes(json: TerraformJson, restApi: string, fn: string): boolean {
  return apiDefinitionsOf(json).some(
    (d) =>
      !("unreadable" in d) &&
      referencedAddresses(d.restApiId, "aws_api_gateway_rest_api", ["id"]).includes(restApi) &&
      [...authorizersOf(d.document).values()].some(
        (a) => ["request", "token"].includes(a.authorizer.type) && referencedAddresses(a.authorizer.authorizerUri, "aws_lambda_function").includes(fn),
      ),
  );
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"]);

/** A backend's permission: `${<rest api>.execution_arn}/<stage>/<METHOD>/<path>`, the method of a route a Lambda backend serves. */
function methodProblem(sourceArn: string, metadata: StackMetadata): string | undefined {
  const prefix = /^(\$\{[^}]+\})\//.exec(sourceArn)?.[1];
  const api = prefix === undefined ? undefined : exactReference(prefix);
  if (!api || !api.address.startsWith("aws_api_gateway_rest_api.") || api.attribute !== "execution_arn") return `source_arn ${JSON.stringify(sourceArn)} is not built on a REST API's execution_arn`;
  const tail = sourceArn.slice(prefix!.length);
  const parts = tail.includes("${") ? null : /^\/([^/]+)\/([^/]+)\/(.*)$/.exec(tail);
  if (!parts) return `source_arn ${JSON.stringify(sourceArn)} is not scoped to the API's authorizers (…/authorizers/…) or to one route's method (<execution_arn>/<stage>/<METHOD>/<path>)`;
  const [, , method, path] = parts as unknown as [string, string, string, string];
  if (!METHODS.has(method)) return `source_arn ${JSON.stringify(sourceArn)} names method ${JSON.stringify(method)}, not an HTTP method`;
  const route = `${method}/${path}`;
  // With several APIs, only the routes of the API whose execution ARN it is count.
  const served = metadata.backendMethodsByRestApi ? (metadata.backendMethodsByRestApi[api.address] ?? []) : metadata.backendMethods;
  if (served !== undefined) {
    if (!served.includes(route)) {
      const whose = metadata.backendMethodsByRestApi ? ` of ${api.address}` : "";
      return `source_arn ${JSON.stringify(sourceArn)} allows ${route}, which is not the method of a route${whose} this function serves (${served.join(", ") || "none"})`;
    }
  } else if (method === "*" && path.split("/").every((s) => s === "*" || s === "")) {
    return `source_arn ${JSON.stringify(sourceArn)} allows every method on every path (*/*)`;
  }
  return undefined;
}

function permissionProblem(json: TerraformJson, metadata: StackMetadata, permission: TerraformResource): string | undefined {
  const { principal, action, source_arn: sourceArn, function_name: functionName } = permission.body;
  if (action !== "lambda:InvokeFunction") return `action is ${JSON.stringify(action ?? null)}, not lambda:InvokeFunction`;
  if (principal === "secretsmanager.amazonaws.com") return rotationPermissionProblem(json, permission);
  if (principal !== "apigateway.amazonaws.com") return `principal is ${JSON.stringify(principal ?? null)}, not apigateway.amazonaws.com or secretsmanager.amazonaws.com`;
  if (typeof sourceArn !== "string") return "has no source_arn: any API Gateway API, in any account, could invoke the function";
  const scoped = SCOPED_TO_AUTHORIZERS.exec(sourceArn);
  if (!scoped && !sourceArn.includes("/authorizers/")) return methodProblem(sourceArn, metadata);
  if (!scoped) return `source_arn ${JSON.stringify(sourceArn)} is not scoped to the API's authorizers (…/authorizers/<id>, or /authorizers/* for those its OpenAPI document declares)`;
  const api = exactReference(scoped[1]);
  if (!api || !api.address.startsWith("aws_api_gateway_rest_api.") || api.attribute !== "execution_arn") return `source_arn ${JSON.stringify(sourceArn)} is not built on a REST API's execution_arn`;
  const functions = referencedAddresses(functionName, "aws_lambda_function");
  if (functions.length !== 1) return `function_name ${JSON.stringify(functionName ?? null)} is not a function of this stack`;
  if (scoped[2] === "*") {
    return documentAuthorizerInvokes(json, api.address, functions[0]!) ? undefined : `source_arn allows every authorizer of ${api.address}, but its OpenAPI document declares no authorizer that invokes ${functions[0]}`;
  }
  const authorizers = referencedAddresses(scoped[2], "aws_api_gateway_authorizer", ["id"]);
  const authorizer = authorizers.length === 1 ? findByAddress(json, authorizers[0]) : undefined;
  if (!authorizer) return `source_arn ${JSON.stringify(sourceArn)} names no authorizer of this stack`;
  if (!referencedAddresses(authorizer.body.authorizer_uri, "aws_lambda_function").includes(functions[0]!)) return `source_arn names ${authorizer.address}, which does not invoke ${functions[0]}`;
  return undefined;
}

export const lambdaPermissionRule: SecurityRule = {
  id: "M2M-LAM-001",
  rationale: "Lambda permissions for API Gateway carry a source_arn scoped to this API's authorizers that invoke the function (execution_arn/authorizers/…) or to the one route's method a backend serves, never */*; for Secrets Manager, one secret of this stack and the account",
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
