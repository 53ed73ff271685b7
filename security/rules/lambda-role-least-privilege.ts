/**
 * M2M-IAM-001: a Lambda function's role may write to its own log group, and nothing else; a
 * rotation function (one Secrets Manager may invoke) also its rotation grants, each on resources
 * of this stack only: the client-secret actions on a user pool, the rotation actions on secrets,
 * and decrypt/generate on a key through Secrets Manager. A backend's `declared-permissions`
 * policy names its own actions and ARNs.
 */
import { DECLARED_PERMISSIONS_POLICY } from "../../model/backends";
import { ownLogGroupsOf, roleAddressOf } from "../lambda-links";
import { UnreadablePolicyError, policyStatements, type PolicyStatement } from "../policy-document";
import { ROTATION_COGNITO_ACTIONS, ROTATION_KMS_ACTIONS, ROTATION_SECRETS_MANAGER_ACTIONS } from "../../model/rotation-grants";
import { exactReference, referencedAddresses, refersTo } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blocksOf, findByAddress, resourcesOf, type TerraformJson } from "../terraform-json";

/** X-Ray has no resource-level permissions: these two actions on "*" are the one allowed exception. */
export const XRAY_WRITE_ACTIONS: readonly string[] = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

const LOG_GROUP_ARN = /^\$\{(aws_cloudwatch_log_group\.[\w-]+)\.arn\}(:\*)?$/;

/** What a rotation function may do, and on which resource type of this stack (by `arn`). */
const ROTATION_GRANTS: readonly { readonly actions: readonly string[]; readonly resourceType: string; readonly viaSecretsManager?: boolean }[] = [
  { actions: ROTATION_COGNITO_ACTIONS, resourceType: "aws_cognito_user_pool" },
  { actions: ROTATION_SECRETS_MANAGER_ACTIONS, resourceType: "aws_secretsmanager_secret" },
  { actions: ROTATION_KMS_ACTIONS, resourceType: "aws_kms_key", viaSecretsManager: true },
];

function rotationGrantProblem(json: TerraformJson, statement: PolicyStatement): string | undefined | "not-a-grant" {
  const grant = ROTATION_GRANTS.find((g) => statement.actions.length > 0 && statement.actions.every((a) => g.actions.includes(a)));
  if (!grant) return "not-a-grant";
  if (statement.resources.length === 0) return `allows ${JSON.stringify(statement.actions)} with no Resource`;
  for (const resource of statement.resources) {
    const ref = exactReference(resource);
    if (!ref || ref.attribute !== "arn" || !ref.address.startsWith(`${grant.resourceType}.`) || !findByAddress(json, ref.address)) {
      return `allows ${JSON.stringify(statement.actions)} on ${JSON.stringify(resource)}, not the arn of a ${grant.resourceType} of this stack`;
    }
  }
  if (grant.viaSecretsManager && !statement.conditions.some((c) => c.variable === "kms:ViaService" && c.values.length > 0 && c.values.every((v) => /^secretsmanager\.[a-z0-9-]+\.amazonaws\.com$/.test(v)))) {
    return `allows ${JSON.stringify(statement.actions)} without a kms:ViaService condition for Secrets Manager`;
  }
  return undefined;
}

function statementProblem(statement: PolicyStatement, ownLogGroups: readonly string[], rotation?: { json: TerraformJson }): string | undefined {
  if (statement.effect !== "Allow") return undefined;
  if (statement.notActions.length > 0) return `allows NotAction ${JSON.stringify(statement.notActions)} (everything else)`;
  if (statement.notResources.length > 0) return `allows on NotResource ${JSON.stringify(statement.notResources)} (everything else)`;
  const xrayOnly = statement.actions.length > 0 && statement.actions.every((a) => XRAY_WRITE_ACTIONS.includes(a));
  if (xrayOnly && statement.resources.length === 1 && statement.resources[0] === "*") return undefined;
  const wildcard = statement.actions.find((a) => a.includes("*"));
  if (wildcard) return `allows wildcard action ${JSON.stringify(wildcard)}`;
  if (rotation) {
    const problem = rotationGrantProblem(rotation.json, statement);
    if (problem !== "not-a-grant") return problem;
  }
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

function documentProblem(json: TerraformJson, policy: unknown, ownLogGroups: readonly string[], options: { readonly rotation?: boolean; readonly declared?: boolean } = {}): string | undefined {
  let statements: PolicyStatement[];
  try {
    statements = policyStatements(json, policy);
  } catch (error) {
    if (error instanceof UnreadablePolicyError) return error.message;
    throw error;
  }
  for (const statement of statements) {
    const problem = options.declared ? declaredStatementProblem(statement) : statementProblem(statement, ownLogGroups, options.rotation ? { json } : undefined);
    if (problem) return statement.sid ? `statement ${statement.sid} ${problem}` : problem;
  }
  return undefined;
}

export const lambdaRoleLeastPrivilegeRule: SecurityRule = {
  id: "M2M-IAM-001",
  rationale: "A Lambda role's policies allow no wildcard action and no resource beyond the function's own log group (X-Ray writes on \"*\" excepted; a rotation function also its client-secret, secret and key grants on this stack's pool, secrets and key); a backend's declared-permissions policy names its actions and ARNs",
  resourceTypes: ["aws_lambda_function", "aws_iam_role", "aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment"],
  check({ json }) {
    const out = new OutcomeRecorder();
    // A rotation function is one Secrets Manager may invoke (M2M-LAM-001 scopes that permission).
    const rotationFunctions = new Set(
      resourcesOf(json, "aws_lambda_permission")
        .filter((p) => p.body.principal === "secretsmanager.amazonaws.com")
        .flatMap((p) => referencedAddresses(p.body.function_name, "aws_lambda_function")),
    );
    for (const fn of resourcesOf(json, "aws_lambda_function")) {
      const roleAddress = roleAddressOf(fn);
      const role = roleAddress ? findByAddress(json, roleAddress) : undefined;
      if (!role) {
        out.fail(fn.address, `role ${JSON.stringify(fn.body.role ?? null)} is not a role of this stack, so its permissions cannot be checked`);
        continue;
      }
      const own = ownLogGroupsOf(json, fn).map((g) => g.address);
      const rotates = rotationFunctions.has(fn.address);

      const managed: unknown = role.body.managed_policy_arns;
      if (Array.isArray(managed) && managed.length > 0) out.fail(role.address, `has managed_policy_arns ${JSON.stringify(managed)}`);
      for (const inline of blocksOf(role.body.inline_policy)) {
        const problem = documentProblem(json, inline.policy, own, { rotation: rotates });
        if (problem) out.fail(role.address, `inline_policy ${problem}`);
      }
      out.checked(role.address);

      for (const policy of resourcesOf(json, "aws_iam_role_policy").filter((p) => refersTo(p.body.role, role.address, ["id", "name"]))) {
        const problem = documentProblem(json, policy.body.policy, own, { rotation: rotates, declared: policy.body.name === DECLARED_PERMISSIONS_POLICY });
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
