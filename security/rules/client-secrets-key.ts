/**
 * M2M-KMS-001: client secrets are encrypted with a customer-managed, rotating key of the stack,
 * and that key's policy admits nobody but the account (administration through IAM), and others
 * only to decrypt (or, for the rotation role, generate data keys) through Secrets Manager for
 * this stack's secrets: `kms:ViaService` = secretsmanager.<region>.amazonaws.com and a
 * `kms:EncryptionContext:SecretARN` condition. With the AWS-managed key every principal of the
 * account with secretsmanager:GetSecretValue could read every secret, and no partner could.
 */
import { UnreadablePolicyError, policyStatements, type PolicyStatement } from "../policy-document";
import { exactReference } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { findByAddress, resourcesOf } from "../terraform-json";

const NON_ADMIN_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];
const ROOT = /^arn:[^:]+:iam::[^:]+:root$/;

function statementProblem(statement: PolicyStatement): string | undefined {
  if (statement.effect !== "Allow") return undefined;
  const principals = statement.principals.flatMap((p) => p.identifiers.map((id) => ({ type: p.type, id })));
  if (principals.some((p) => p.type === "*" || p.id === "*")) return "admits every principal (\"*\")";
  if (principals.length === 0 || principals.some((p) => p.type !== "AWS")) return `names principals ${JSON.stringify(statement.principals)}, not IAM principals`;
  // The account itself: the one statement that may administer the key.
  if (principals.every((p) => ROOT.test(p.id))) return undefined;
  if (principals.some((p) => ROOT.test(p.id))) return "mixes the account root with other principals";
  const extra = statement.actions.filter((a) => !NON_ADMIN_ACTIONS.includes(a));
  if (extra.length > 0 || statement.actions.length === 0) return `lets ${principals.map((p) => p.id).join(", ")} do ${JSON.stringify(statement.actions)}, beyond kms:Decrypt and kms:GenerateDataKey`;
  const via = statement.conditions.find((c) => c.variable === "kms:ViaService");
  if (!via || !via.values.every((v) => /^secretsmanager\.[a-z0-9-]+\.amazonaws\.com$/.test(v))) return "has no kms:ViaService condition limiting use to Secrets Manager";
  const context = statement.conditions.find((c) => c.variable === "kms:EncryptionContext:SecretARN");
  if (!context || context.values.length === 0 || context.values.some((v) => v === "*" || !v.includes(":secretsmanager:"))) return "has no kms:EncryptionContext:SecretARN condition naming this stack's secrets";
  return undefined;
}

export const clientSecretsKeyRule: SecurityRule = {
  id: "M2M-KMS-001",
  rationale: "Client secrets use a rotating customer-managed key of the stack whose policy admits the account as admin and others only to decrypt through Secrets Manager, for these secrets",
  resourceTypes: ["aws_secretsmanager_secret", "aws_kms_key"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const keys = new Set<string>();
    for (const secret of resourcesOf(json, "aws_secretsmanager_secret")) {
      const ref = exactReference(secret.body.kms_key_id);
      const key = ref && ref.address.startsWith("aws_kms_key.") && ["arn", "id", "key_id"].includes(ref.attribute) ? findByAddress(json, ref.address) : undefined;
      if (!key) {
        out.fail(secret.address, `kms_key_id ${JSON.stringify(secret.body.kms_key_id ?? null)} is not a customer-managed key of this stack (the AWS-managed key admits every reader of the account)`);
        continue;
      }
      out.checked(secret.address);
      keys.add(key.address);
    }
    for (const address of keys) {
      const key = findByAddress(json, address)!;
      if (key.body.enable_key_rotation !== true) {
        out.fail(address, "does not rotate its key material (enable_key_rotation)");
        continue;
      }
      let statements: PolicyStatement[];
      try {
        statements = policyStatements(json, key.body.policy);
      } catch (error) {
        if (!(error instanceof UnreadablePolicyError)) throw error;
        out.fail(address, `policy: ${error.message} (without a policy, the default admits the account's IAM principals only, no rotation role or partner: say so explicitly)`);
        continue;
      }
      const problems = statements.map((s) => [s, statementProblem(s)] as const).filter(([, p]) => p !== undefined);
      if (problems.length > 0) out.fail(address, problems.map(([s, p]) => `statement ${s.sid ?? "(no Sid)"} ${p}`).join("; "));
      else out.checked(address);
    }
    return out.outcome();
  },
};
