/** Which AWS service runs as each IAM role of a stack, from the resources that use the role. */
import { referencedAddresses } from "./references";
import { resourcesOf, type TerraformJson } from "./terraform-json";

/** Role address -> the service principals that assume it (`lambda.amazonaws.com`, ...). */
export function roleServices(json: TerraformJson): Map<string, Set<string>> {
  const services = new Map<string, Set<string>>();
  const add = (roles: string[], service: string) => {
    for (const role of roles) services.set(role, (services.get(role) ?? new Set()).add(service));
  };
  for (const fn of resourcesOf(json, "aws_lambda_function")) add(referencedAddresses(fn.body.role, "aws_iam_role", ["arn"]), "lambda.amazonaws.com");
  for (const account of resourcesOf(json, "aws_api_gateway_account")) {
    add(referencedAddresses(account.body.cloudwatch_role_arn, "aws_iam_role", ["arn"]), "apigateway.amazonaws.com");
  }
  return services;
}
