/** Where a value reads a secret: an app client's secret or a Secrets Manager secret's value. */
import { referencesIn } from "./references";
import { stringsIn } from "./terraform-json";

const SECRET_ATTRIBUTES: Record<string, readonly string[]> = {
  aws_cognito_user_pool_client: ["client_secret"],
  aws_secretsmanager_secret_version: ["secret_string", "secret_binary"],
  "data.aws_secretsmanager_secret_version": ["secret_string", "secret_binary"],
};

// Also catches reads the reference parser cannot follow, e.g. `{for k, c in ... : k => c.client_secret}`.
const SECRET_TEXT = /\.(client_secret|secret_string|secret_binary)\b/;

/** The secret attributes `value` reads, e.g. `aws_cognito_user_pool_client.client_billing.client_secret`. */
export function secretReadsIn(value: unknown): string[] {
  const reads = new Set<string>();
  for (const ref of referencesIn(value)) {
    const type = ref.address.split(".").slice(0, -1).join(".");
    if (SECRET_ATTRIBUTES[type]?.includes(ref.attribute)) reads.add(`${ref.address}.${ref.attribute}`);
  }
  if (reads.size === 0) {
    for (const { text } of stringsIn(value)) {
      const match = text.includes("${") ? SECRET_TEXT.exec(text) : null;
      if (match) reads.add(`…${match[0]}`);
    }
  }
  return [...reads];
}
