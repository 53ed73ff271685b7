/** M2M-IAM-001: a Lambda function's role may write to its own log group, and nothing else. */
import { DECLARED_PERMISSIONS_POLICY } from "../../model/backends";
import { ownLogGroupsOf, roleAddressOf } from "../lambda-links";
import { UnreadablePolicyError, policyStatements, type PolicyStatement } from "../policy-document";
import { refersTo } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blocksOf, findByAddress, resourcesOf, type TerraformJson } from "../terraform-json";

/** X-Ray has no resource-level permissions: these two actions on "*" are the one allowed exception. */
export const XRAY_WRITE_ACTIONS: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

const LOG_GROUP_ARN = /^\$\{(aws_cloudwatch_log_group\.[\w-]+)\.arn\}(:\*)?$/;

function statementProblem(statement: PolicyStatement, ownLogGroups: readonly string[]): string | undefined {
  if (statement.effect !== "Allow") return undefined;
  if (statement.notActions.length > 0) return `allows NotAction ${JSON.stringify(statement.notActions)} (everything else)`;
  if (statement.notResources.length > 0) return `allows on NotResource ${JSON.stringify(statement.notResources)} (everything else)`;
  const xrayOnly = statement.actions.length > 0 && statement.actions.every((a) => XRAY_WRITE_ACTIONS.includes(a));
  if (xrayOnly && statement.resources.length === 1 && statement.resources[0] === "*") return undefined;
  const wildcard = statement.actions.find((a) => a.includes("*"));
  if (wildcard) return `allows wildcard action ${JSON.stringify(wildcard)}`;
  for (const resource of statement.resources) {
    const group = LOG_GROUP_ARN.exec(resource)?.[1];
    if (!group || !ownLogGroups.includes(group)) return `allows ${JSON.stringify(statement.actions)} on ${JSON.stringify(resource)}, beyond the function's own log group`;
  }
  if (statement.resources.length === 0) return `allows ${JSON.stringify(statement.actions)} with no Resource`;
  return undefined;
}

/**
 * A statement a backend declared in its config (the `declared-permissions` policy): named
 * actions on named ARNs. Least privilege is the config's to state; here it must be explicit.
 */
function declaredStatementProblem(statement: PolicyStatement): string | undefined {
  if (statement.effect !== "Allow") return undefined;
  if (statement.notActions.length > 0) return `allows NotAction ${JSON.stringify(statement.notActions)} (everything else)`;
  if (statement.notResources.length > 0) return `allows on NotResource ${JSON.stringify(statement.notResources)} (everything else)`;
  const wildcard = statement.actions.find((a) => a.includes("*"));
  if (wildcard) return `allows wildcard action ${JSON.stringify(wildcard)}`;
  if (statement.resources.length === 0) return `allows ${JSON.stringify(statement.actions)} with no Resource`;
  const broad = statement.resources.find((r) => !/^arn:aws(-[a-z]+)*:[a-z0-9-]+:/.test(r));
  if (broad !== undefined) return `allows ${JSON.stringify(statement.actions)} on ${JSON.stringify(broad)}, not a named ARN`;
  return undefined;
}

function documentProblem(json: TerraformJson, policy: unknown, ownLogGroups: readonly string[], declared = false): string | undefined {
  let statements: PolicyStatement[];
  try {
    statements = policyStatements(json, policy);
  } catch (error) {
    if (error instanceof UnreadablePolicyError) return error.message;
    throw error;
  }
  for (const statement of statements) {
    const problem = declared ? declaredStatementProblem(statement) : statementProblem(statement, ownLogGroups);
    if (problem) return statement.sid ? `statement ${statement.sid} ${problem}` : problem;
  }
  return undefined;
}

export const lambdaRoleLeastPrivilegeRule: SecurityRule = {
  id: "M2M-IAM-001",
  rationale: "A Lambda role's policies allow no wildcard action and no resource beyond the function's own log group (X-Ray writes on \"*\" excepted); a backend's declared-permissions policy names its actions and ARNs",
  resourceTypes: ["aws_lambda_function", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const fn of resourcesOf(json, "aws_lambda_function")) {
      const roleAddress = roleAddressOf(fn);
      const role = roleAddress ? findByAddress(json, roleAddress) : undefined;
      if (!role) {
        out.fail(fn.address, `role ${JSON.stringify(fn.body.role ?? null)} is not a role of this stack, so its permissions cannot be checked`);
        continue;
      }
      const own = ownLogGroupsOf(json, fn).map((g) => g.address);

      const managed: unknown = role.body.managed_policy_arns;
      if (Array.isArray(managed) && managed.length > 0) out.fail(role.address, `has managed_policy_arns ${JSON.stringify(managed)}`);
      for (const inline of blocksOf(role.body.inline_policy)) {
        const problem = documentProblem(json, inline.policy, own);
        if (problem) out.fail(role.address, `inline_policy ${problem}`);
      }
      out.checked(role.address);

      for (const policy of resourcesOf(json, "aws_iam_role_policy").filter((p) => refersTo(p.body.role, role.address, ["id", "name"]))) {
        const problem = documentProblem(json, policy.body.policy, own, policy.body.name === DECLARED_PERMISSIONS_POLICY);
        out.expect(policy.address, problem === undefined, problem ?? "");
      }
      // Managed policies (AWSLambdaBasicExecutionRole included) grant on "*": none on a function's role.
      for (const attachment of resourcesOf(json, "aws_iam_role_policy_attachment").filter((a) => refersTo(a.body.role, role.address, ["id", "name"]))) {
        out.fail(attachment.address, `attaches ${JSON.stringify(attachment.body.policy_arn ?? null)} to the role of ${fn.address}`);
      }
      for (const attachment of resourcesOf(json, "aws_iam_policy_attachment").filter((a) => refersTo(a.body.roles, role.address, ["id", "name"]))) {
        out.fail(attachment.address, `attaches ${JSON.stringify(attachment.body.policy_arn ?? null)} to the role of ${fn.address}`);
      }
    }
    return out.outcome();
  },
};
