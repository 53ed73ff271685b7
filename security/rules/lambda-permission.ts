/**
 * M2M-LAM-001: API Gateway may invoke a function only as the authorizer that uses it, and
 * Secrets Manager only to rotate one secret of this stack, in this account.
 */
import { exactReference, interpolationsIn, referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { findByAddress, resourcesOf, type TerraformJson, type TerraformResource } from "../terraform-json";

/** A rotation invoke: source_arn is exactly one secret of this stack, source_account is set (a secret ARN names its account, but the confused-deputy guard is the account). */
function rotationPermissionProblem(json: TerraformJson, permission: TerraformResource): string | undefined {
  const secret = exactReference(permission.body.source_arn);
  if (!secret || !secret.address.startsWith("aws_secretsmanager_secret.") || secret.attribute !== "arn" || !findByAddress(json, secret.address)) {
    return `source_arn ${JSON.stringify(permission.body.source_arn ?? null)} is not the arn of one secret of this stack: any secret could have the function rotate it`;
  }
  if (typeof permission.body.source_account !== "string" || permission.body.source_account === "") return "has no source_account: Secrets Manager acting for another account could invoke the function";
  return undefined;
}

function permissionProblem(json: TerraformJson, permission: TerraformResource): string | undefined {
  const { principal, action, source_arn: sourceArn, function_name: functionName } = permission.body;
  if (action !== "lambda:InvokeFunction") return `action is ${JSON.stringify(action ?? null)}, not lambda:InvokeFunction`;
  if (principal === "secretsmanager.amazonaws.com") return rotationPermissionProblem(json, permission);
  if (principal !== "apigateway.amazonaws.com") return `principal is ${JSON.stringify(principal ?? null)}, not apigateway.amazonaws.com or secretsmanager.amazonaws.com`;
  if (typeof sourceArn !== "string") return "has no source_arn: any API Gateway API, in any account, could invoke the function";
  // Literal text only: `*` inside an interpolation is Terraform syntax, not an ARN wildcard.
  const literal = interpolationsIn(sourceArn).reduce((text, expr) => text.replace(`\${${expr}}`, ""), sourceArn);
  if (!sourceArn.includes("/authorizers/") || literal.includes("*")) return `source_arn ${JSON.stringify(sourceArn)} is not scoped to one authorizer (…/authorizers/<id>)`;
  if (referencedAddresses(sourceArn, "aws_api_gateway_rest_api", ["execution_arn"]).length !== 1) return `source_arn ${JSON.stringify(sourceArn)} is not built on a REST API's execution_arn`;
  const authorizers = referencedAddresses(sourceArn, "aws_api_gateway_authorizer", ["id"]);
  const authorizer = authorizers.length === 1 ? findByAddress(json, authorizers[0]) : undefined;
  if (!authorizer) return `source_arn ${JSON.stringify(sourceArn)} names no authorizer of this stack`;
  const functions = referencedAddresses(functionName, "aws_lambda_function");
  if (functions.length === 1 && referencedAddresses(authorizer.body.authorizer_uri, "aws_lambda_function").every((f) => f !== functions[0])) {
    return `source_arn names ${authorizer.address}, which does not invoke ${functions[0]}`;
  }
  return undefined;
}

export const lambdaPermissionRule: SecurityRule = {
  id: "M2M-LAM-001",
  rationale: "Lambda permissions for API Gateway carry a source_arn scoped to the authorizer (execution_arn/authorizers/<id>); for Secrets Manager, one secret of this stack and the account: nothing else may invoke the function",
  resourceTypes: ["aws_lambda_permission"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const permission of resourcesOf(json, "aws_lambda_permission")) {
      const problem = permissionProblem(json, permission);
      out.expect(permission.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
