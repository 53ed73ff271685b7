/**
 * M2M-ROT-001: Terraform does not fight secret rotation. A rotating secret's versions ignore
 * changes to `secret_string` (after creation the rotation function owns the value; otherwise the
 * next apply writes the first, since deleted, secret back as current: an outage), no output reads
 * the `client_secret` of the app client behind such a secret (it goes stale), and the rotation
 * runs a function of this stack on a schedule. A version that ignores its value without a
 * rotation would freeze whatever was written first.
 */
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, findByAddress, resourcesOf } from "../terraform-json";

function ignoresValue(lifecycle: unknown): boolean {
  const ignored = blockOf(lifecycle)?.ignore_changes;
  return ignored === "all" || (Array.isArray(ignored) && ignored.includes("secret_string"));
}

export const rotationNotFoughtRule: SecurityRule = {
  id: "M2M-ROT-001",
  rationale: "A rotating secret's versions ignore secret_string, nothing outputs its app client's stale client_secret, and a function of this stack rotates it on a schedule: the plan after a rotation is empty",
  resourceTypes: ["aws_secretsmanager_secret_rotation", "aws_secretsmanager_secret_version", "output"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const rotations = resourcesOf(json, "aws_secretsmanager_secret_rotation");
    const rotatingSecrets = new Set(rotations.flatMap((r) => referencedAddresses(r.body.secret_id, "aws_secretsmanager_secret")));
    for (const rotation of rotations) {
      const fn = referencedAddresses(rotation.body.rotation_lambda_arn, "aws_lambda_function", ["arn"]);
      const days = blockOf(rotation.body.rotation_rules)?.automatically_after_days;
      const schedule = blockOf(rotation.body.rotation_rules)?.schedule_expression;
      if (fn.length !== 1 || !findByAddress(json, fn[0]!)) out.fail(rotation.address, `rotation_lambda_arn ${JSON.stringify(rotation.body.rotation_lambda_arn ?? null)} is not a function of this stack`);
      else out.expect(rotation.address, typeof days === "number" || typeof schedule === "string", "has no rotation_rules schedule");
    }
    const staleSecrets: string[] = [];
    for (const version of resourcesOf(json, "aws_secretsmanager_secret_version")) {
      const secrets = referencedAddresses(version.body.secret_id, "aws_secretsmanager_secret");
      const rotating = secrets.some((s) => rotatingSecrets.has(s));
      const ignores = ignoresValue(version.body.lifecycle);
      if (rotating && !ignores) out.fail(version.address, "belongs to a rotating secret but does not ignore changes to secret_string: the next apply would write the old secret back");
      else if (!rotating && ignores) out.fail(version.address, "ignores changes to secret_string but its secret does not rotate: the value would never follow the app client");
      else out.checked(version.address);
      if (rotating) staleSecrets.push(...referencedAddresses(version.body.secret_string, "aws_cognito_user_pool_client", ["client_secret"]));
    }
    for (const [name, output] of Object.entries(json.output ?? {})) {
      const reads = referencedAddresses((output as { value?: unknown }).value, "aws_cognito_user_pool_client", ["client_secret"]).filter((c) => staleSecrets.includes(c));
      out.expect(`output.${name}`, reads.length === 0, `reads ${reads.map((c) => `${c}.client_secret`).join(", ")}, whose secret rotates: the value is stale after the first rotation`);
    }
    return out.outcome();
  },
};
