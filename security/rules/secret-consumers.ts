/**
 * M2M-KMS-002: a client secret's resource policy lets named IAM principals read that secret's
 * current value, and nothing else: no wildcard principal, no action beyond GetSecretValue and
 * DescribeSecret, public policies blocked.
 */
import { UnreadablePolicyError, policyStatements } from "../policy-document";
import { exactReference } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { findByAddress, resourcesOf } from "../terraform-json";

const READ_ACTIONS = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"];
const IAM_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/.+$/;

export const secretConsumersRule: SecurityRule = {
  id: "M2M-KMS-002",
  rationale: "A secret policy admits named IAM roles or users to read that one secret (GetSecretValue, DescribeSecret) and blocks public policies: a partner reads its own credentials, nothing more",
  resourceTypes: ["aws_secretsmanager_secret_policy"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const policy of resourcesOf(json, "aws_secretsmanager_secret_policy")) {
      const secret = exactReference(policy.body.secret_arn);
      if (!secret || !secret.address.startsWith("aws_secretsmanager_secret.") || !findByAddress(json, secret.address)) {
        out.fail(policy.address, `secret_arn ${JSON.stringify(policy.body.secret_arn ?? null)} is not a secret of this stack`);
        continue;
      }
      if (policy.body.block_public_policy !== true) {
        out.fail(policy.address, "does not set block_public_policy");
        continue;
      }
      let problem: string | undefined;
      try {
        for (const s of policyStatements(json, policy.body.policy)) {
          if (s.effect !== "Allow") continue;
          const ids = s.principals.flatMap((p) => (p.type === "AWS" ? p.identifiers : ["*"]));
          const bad = ids.find((id) => !IAM_PRINCIPAL.test(id));
          const extra = s.actions.filter((a) => !READ_ACTIONS.includes(a));
          if (ids.length === 0 || bad !== undefined) problem = `admits ${JSON.stringify(bad ?? "no principal")}, not a named IAM role or user`;
          else if (extra.length > 0 || s.actions.length === 0 || s.notActions.length > 0) problem = `allows ${JSON.stringify([...extra, ...s.notActions])}, beyond reading the secret`;
          if (problem) break;
        }
      } catch (error) {
        if (!(error instanceof UnreadablePolicyError)) throw error;
        problem = error.message;
      }
      out.expect(policy.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
