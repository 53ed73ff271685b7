/** M2M-IAM-002: each role can be assumed only by the service that uses it. */
import { UnreadablePolicyError, policyStatements, type PolicyStatement } from "../policy-document";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { roleServices } from "../role-usage";
import { resourcesOf } from "../terraform-json";

function trustProblem(statements: readonly PolicyStatement[], expected: ReadonlySet<string>): string | undefined {
  const allows = statements.filter((s) => s.effect === "Allow");
  if (allows.length === 0) return "allows no principal to assume the role";
  for (const s of allows) {
    if (s.notActions.length > 0 || s.notPrincipals.length > 0) return "uses NotAction or NotPrincipal";
    if (s.actions.length !== 1 || s.actions[0] !== "sts:AssumeRole") return `allows ${JSON.stringify(s.actions)}, not just sts:AssumeRole`;
    const other = s.principals.find((p) => p.type !== "Service" || p.identifiers.some((id) => !expected.has(id)));
    if (other || s.principals.length === 0) {
      const got = (other ?? { type: "none", identifiers: [] as string[] });
      return `trusts ${got.type} ${JSON.stringify(got.identifiers)}; only ${[...expected].join(", ")} uses this role`;
    }
  }
  return undefined;
}

export const roleTrustPolicyRule: SecurityRule = {
  id: "M2M-IAM-002",
  rationale: "A role's trust policy lets only the service running as it (Lambda, API Gateway) call sts:AssumeRole: no accounts, no wildcard",
  resourceTypes: ["aws_iam_role"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const services = roleServices(json);
    for (const role of resourcesOf(json, "aws_iam_role")) {
      const expected = services.get(role.address);
      if (!expected) {
        out.fail(role.address, "is used by no Lambda function or API Gateway account of this stack: nothing justifies it");
        continue;
      }
      let problem: string | undefined;
      try {
        problem = trustProblem(policyStatements(json, role.body.assume_role_policy), expected);
      } catch (error) {
        if (!(error instanceof UnreadablePolicyError)) throw error;
        problem = `assume_role_policy: ${error.message}`;
      }
      out.expect(role.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
