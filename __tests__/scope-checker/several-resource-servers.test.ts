/**
 * One pool, several APIs (issue 11): a client's token carries scopes of every API it is granted
 * (one resource server each), and two APIs may name scopes alike (`read` on both). Each API's
 * scope checker holds full identifiers under its own resource server: a token is allowed for
 * what it holds there, whatever else it holds, and a same-named scope of another API counts for
 * nothing.
 */
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { USER_POOL_ID, accessToken, authorizerEvent, captureConsole, generateSigningKey, jwksOf } from "./support/cognito-tokens";

const key = generateSigningKey("key-1");
const PAYMENTS = "https://pay0123456.execute-api.eu-west-1.amazonaws.com/dev";
const CONTENT = "https://cnt0123456.execute-api.eu-west-1.amazonaws.com/dev";
const FINANCE = "finance0client0id000000001";
const ids = (server: string, ...names: string[]) => names.map((n) => `${server}/${n}`);

// The payments API's checker: its route needs payments' read AND write.
const handler = createHandler({
  userPoolId: USER_POOL_ID,
  clientIds: [FINANCE],
  routes: [{ method: "POST", path: "/payments", scopes: ids(PAYMENTS, "read", "write") }],
  jwks: jwksOf(key),
});
const call = (scope: string) => handler(authorizerEvent({ method: "POST", resource: "/payments", headers: { Authorization: `Bearer ${accessToken(key, FINANCE, scope)}` } }));

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => {
  logs = captureConsole();
});
afterEach(() => logs.restore());

test("a token holding scopes of two resource servers is allowed for what it holds at this API's", async () => {
  const result = await call([...ids(CONTENT, "read", "write"), ...ids(PAYMENTS, "read", "write")].join(" "));
  expect(result.policyDocument.Statement[0]!.Effect).toBe("Allow");
});

test("another API's scopes of the same names count for nothing here", async () => {
  const result = await call([...ids(CONTENT, "read", "write"), ...ids(PAYMENTS, "read")].join(" "));
  expect(result.policyDocument.Statement.every((s: { Effect: string }) => s.Effect === "Deny")).toBe(true);
  expect(logs.lines.join("\n")).toContain("missing-scope");
});
