/**
 * The API key a client's calls are metered by. With the REST API's key source AUTHORIZER,
 * API Gateway takes the key from the authorizer's `usageIdentifierKey` and ignores any
 * `x-api-key` header, so the key is an identifier for metering, not a credential: its value is
 * derived from the (public) client id, by Terraform for the `aws_api_gateway_api_key` and here
 * for the authorizer result, and neither side holds a secret. Knowing the value gains a caller
 * nothing: it cannot send it. SHA-256 hex keeps it within API Gateway's 20–128 alphanumerics.
 * Terraform: `sha256("${USAGE_KEY_PREFIX}${client_id}")` (lowercase hex, like this digest).
 */
import { createHash } from "node:crypto";

export const USAGE_KEY_PREFIX = "cognito-m2m-usage-key:";

/** Warm containers see the same clients again: remember their keys (bounded). */
const MAX_REMEMBERED = 4096;
const remembered = new Map<string, string>();

export function usageIdentifierKey(clientId: string): string {
  let key = remembered.get(clientId);
  if (key === undefined) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    key = createHash("sha256").update(`${USAGE_KEY_PREFIX}${clientId}`, "utf8").digest("hex");
    remembered.set(clientId, key);
  }
  return key;
}
