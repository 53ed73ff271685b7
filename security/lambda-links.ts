/** How a Lambda function relates to its role and its log groups in a synthesized stack. */
import { referencedAddresses, refersTo } from "./references";
import { blockOf, resourcesOf, type TerraformJson, type TerraformResource } from "./terraform-json";

/** The stack's role the function runs as, if `role` refers to one. */
export function roleAddressOf(fn: TerraformResource): string | undefined {
  const roles = referencedAddresses(fn.body.role, "aws_iam_role", ["arn"]);
  return roles.length === 1 ? roles[0] : undefined;
}

/**
 * The function's own log groups: the one its `logging_config` names, or the one Lambda writes
 * to by default, `/aws/lambda/<function_name>` (the name given literally or by reference).
 */
export function ownLogGroupsOf(json: TerraformJson, fn: TerraformResource): TerraformResource[] {
  const configured = blockOf(fn.body.logging_config)?.log_group;
  return resourcesOf(json, "aws_cloudwatch_log_group").filter((group) => {
    if (configured !== undefined) return configured === group.body.name || refersTo(configured, group.address, ["name", "id"]);
    return typeof fn.body.function_name === "string" && group.body.name === `/aws/lambda/${fn.body.function_name}`;
  });
}
