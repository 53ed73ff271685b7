/**
 * Scope identifiers on the move (issue 24, invoke URL to custom domain): while both resource
 * servers exist, a token carrying the old identifier's scopes passes the scope checker as if it
 * carried the new ones (RESOURCE_SERVER_ALIASES), and nothing else does.
 */
import { readLambdaEnvironment } from "../../lambdas/scope-checker/lambda-environment";
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { ARN_PREFIX, USER_POOL_ID, accessToken, authorizerEvent, captureConsole, generateSigningKey, jwksOf, policyAllows } from "./support/cognito-tokens";

const key = generateSigningKey("key-1");
const CLIENT = "client00client0id0000000001";
const NEW = "https://api.example.com/payments";
const OLD = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev";
const env = { USER_POOL_ID, RESOURCE_SERVER_ID: NEW, RESOURCE_SERVER_ALIASES: OLD, ACCESS_FILE: "/access.json" };
const file = { clientIds: [CLIENT], routes: [{ method: "POST", path: "/payments", scopes: ["read", "write"] }] };
const settings = readLambdaEnvironment(env, () => JSON.stringify(file));
const handler = createHandler({ ...settings.options, jwks: jwksOf(key) });
const allowed = async (scope: string) => {
  const result = await handler(authorizerEvent({ method: "POST", resource: "/payments", headers: { Authorization: `Bearer ${accessToken(key, CLIENT, scope)}` } }));
  return policyAllows(result.policyDocument, `${ARN_PREFIX}POST/payments`);
};

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => (logs = captureConsole()));
afterEach(() => logs.restore());

describe("scope aliases", () => {
  it("reads RESOURCE_SERVER_ALIASES as aliases of RESOURCE_SERVER_ID", () => {
    expect(settings.options.scopeAliases).toEqual([{ from: OLD, to: NEW }]);
  });
  it.each([
    ["the new identifiers", `${NEW}/read ${NEW}/write`, true],
    ["the old identifiers", `${OLD}/read ${OLD}/write`, true],
    ["one of each", `${OLD}/read ${NEW}/write`, true],
    ["the old identifiers, one scope short", `${OLD}/read`, false],
    ["another API's identifier", `https://api.example.com/content/read https://api.example.com/content/write`, false],
    ["an identifier that only starts like the old one", `${OLD}x/read ${OLD}x/write`, false],
  ])("a token with %s (scope %s) is allowed: %s", async (_name, scope, expected) => {
    expect(await allowed(scope)).toBe(expected);
  });
  it("refuses an alias equal to the identifier, or ending in /", () => {
    expect(() => readLambdaEnvironment({ ...env, RESOURCE_SERVER_ALIASES: NEW }, () => JSON.stringify(file))).toThrow("RESOURCE_SERVER_ALIASES: must list identifiers other than RESOURCE_SERVER_ID, without a trailing /");
    expect(() => readLambdaEnvironment({ ...env, RESOURCE_SERVER_ALIASES: `${OLD}/` }, () => JSON.stringify(file))).toThrow(/RESOURCE_SERVER_ALIASES/);
  });
});
