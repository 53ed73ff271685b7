/** The scope checker names each verified client's usage key (for API Gateway's usage plans), derived from the client id, and never logs it. */
import { createHash } from "node:crypto";
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { USAGE_KEY_PREFIX, usageIdentifierKey } from "../../lambdas/scope-checker/usage-key";
import { USER_POOL_ID, accessToken, authorizerEvent, captureConsole, generateSigningKey, jwksOf, scopeIds } from "./support/cognito-tokens";
import { TEST_ROUTES } from "./support/test-routes";

const key = generateSigningKey("key-1");
const BILLING = "billing0client0id0000000001";
const OTHER = "other0client0id00000000002";
const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: [BILLING, OTHER], routes: TEST_ROUTES, jwks: jwksOf(key) });
const payments = (token: string) => authorizerEvent({ method: "POST", resource: "/payments", headers: { Authorization: `Bearer ${token}` } });

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => (logs = captureConsole()));
afterEach(() => logs.restore());

test("Allow and Deny results carry the client's key: SHA-256 hex of the prefix and the client id, distinct per client", async () => {
  const allowed = await handler(payments(accessToken(key, BILLING, scopeIds("payments.read", "payments.write"))));
  const denied = await handler(payments(accessToken(key, OTHER, scopeIds("payments.read"))));
  expect(allowed.policyDocument.Statement[0]!.Effect).toBe("Allow");
  expect(denied.policyDocument.Statement[0]!.Effect).toBe("Deny");
  expect(allowed.usageIdentifierKey).toBe(createHash("sha256").update(`${USAGE_KEY_PREFIX}${BILLING}`).digest("hex"));
  expect(allowed.usageIdentifierKey).toMatch(/^[0-9a-f]{64}$/); // API Gateway: 20–128 alphanumerics
  expect(denied.usageIdentifierKey).toBe(usageIdentifierKey(OTHER));
  expect(denied.usageIdentifierKey).not.toBe(allowed.usageIdentifierKey);
  // The decision log has the client id, never the key.
  expect(logs.lines).toHaveLength(2);
  for (const line of logs.lines) {
    expect(line).not.toContain(allowed.usageIdentifierKey);
    expect(line).not.toContain(denied.usageIdentifierKey);
  }
});

test("a refused token (401) names no key", async () => {
  await expect(handler(payments(accessToken(key, "stranger0client00000000003", scopeIds("payments.read", "payments.write"))))).rejects.toThrow("Unauthorized");
  expect(logs.lines.join("\n")).not.toContain(usageIdentifierKey("stranger0client00000000003"));
});
