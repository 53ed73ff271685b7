/**
 * Property: no mutation of a valid token is ever allowed, and the only failure the checker
 * reports is `Error("Unauthorized")` (anything else would be a 500 from API Gateway). Run
 * against a two-client allow-list and at platform scale (1,000 clients, 200 routes).
 */
import fc from "fast-check";
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { USER_POOL_ID, accessToken, authorizerEvent, b64url, captureConsole, generateSigningKey, jwksOf, scopeIds } from "./support/cognito-tokens";
import { PLATFORM_CLIENTS, PLATFORM_ROUTES, TEST_ROUTES, platformAllowList, platformRoutes } from "./support/test-routes";

const key = generateSigningKey("key-1");
const CLIENT = "mutation0client0000000000001";
const OTHER = "mutation0client0000000000002";
const handlers = [
  { list: "two allowed clients", handler: createHandler({ userPoolId: USER_POOL_ID, clientIds: [CLIENT, OTHER], routes: TEST_ROUTES, jwks: jwksOf(key) }) },
  {
    list: `${PLATFORM_CLIENTS} allowed clients, ${PLATFORM_ROUTES} routes`,
    handler: createHandler({ userPoolId: USER_POOL_ID, clientIds: platformAllowList(OTHER, CLIENT), routes: platformRoutes(), jwks: jwksOf(key) }),
  },
];
const scope = scopeIds("payments.read", "payments.write", "orders.read", "admin", "hello");
const valid = accessToken(key, CLIENT, scope);
const sibling = accessToken(key, OTHER, scopeIds("hello"));
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

type Mutation = (token: string) => string;

const at = (token: string, n: number) => n % (token.length + 1);
const charArb = fc.oneof(fc.constantFrom(...BASE64URL.split("")), fc.constantFrom(".", "=", " ", ",", "+", "/", "\u0000", "é"), fc.string({ minLength: 1, maxLength: 1 }));

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Replace one character with a different one.
  fc.tuple(fc.nat(), charArb).map(([n, c]): Mutation => (t) => {
    const i = n % t.length;
    return t[i] === c ? t.slice(0, i) + (c === "A" ? "B" : "A") + t.slice(i + 1) : t.slice(0, i) + c + t.slice(i + 1);
  }),
  // Insert characters.
  fc.tuple(fc.nat(), fc.array(charArb, { minLength: 1, maxLength: 4 })).map(([n, cs]): Mutation => (t) => t.slice(0, at(t, n)) + cs.join("") + t.slice(at(t, n))),
  // Delete a run of characters.
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })).map(([n, len]): Mutation => (t) => t.slice(0, n % t.length) + t.slice((n % t.length) + len)),
  // Truncate.
  fc.nat().map((n): Mutation => (t) => t.slice(0, n % t.length)),
  // Swap one part with the same part of another validly signed token.
  fc.integer({ min: 0, max: 2 }).map((part): Mutation => (t) => {
    const mine = t.split(".");
    mine[part] = sibling.split(".")[part]!;
    return mine.join(".");
  }),
  // Rewrite a claim of the payload without re-signing.
  fc.tuple(fc.constantFrom("scope", "client_id", "exp", "iss", "token_use", "sub", "jti"), fc.jsonValue()).map(([claim, value]): Mutation => (t) => {
    const [h, p, s] = t.split(".");
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return t; // an earlier mutation already broke the payload
    }
    if (typeof payload !== "object" || payload === null) return t;
    const changed = { ...payload, [claim]: value };
    if (JSON.stringify(changed) === JSON.stringify(payload)) changed[claim] = `${String(value)}-changed`;
    return `${h}.${b64url(changed)}.${s}`;
  }),
  // Rewrite the header without re-signing.
  fc.record({ alg: fc.constantFrom("none", "HS256", "RS512", "ES256", "RS256 "), kid: fc.constantFrom(key.kid, "other", "") }).map((header): Mutation => (t) => {
    const [, ...rest] = t.split(".");
    return [b64url(header), ...rest].join(".");
  }),
  // Random bytes as one part.
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.uint8Array({ minLength: 0, maxLength: 300 })).map(([part, bytes]): Mutation => (t) => {
    const parts = t.split(".");
    parts[part] = Buffer.from(bytes).toString("base64url");
    return parts.join(".");
  }),
);

let logs: ReturnType<typeof captureConsole>;
beforeAll(() => {
  logs = captureConsole();
});
afterAll(() => logs.restore());

describe.each(handlers)("with $list", ({ handler }) => {
  it("the unmutated token is allowed", async () => {
    const result = await handler(authorizerEvent({ method: "POST", resource: "/payments", headers: { Authorization: `Bearer ${valid}` } }));
    expect(result.policyDocument.Statement[0]!.Effect).toBe("Allow");
  });

  it("mutated tokens: zero allows, zero errors other than Unauthorized", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (mutations, withScheme) => {
        const mutated = mutations.reduce((t, m) => m(t), valid);
        // Swapping every part with the sibling token just spells that (valid) token: not a mutation.
        fc.pre(mutated !== valid && mutated !== sibling);
        runs += 1;
        const event = authorizerEvent({ method: "POST", resource: "/payments", headers: { Authorization: withScheme ? `Bearer ${mutated}` : mutated } });
        try {
          const result = await handler(event);
          throw new Error(`not refused: ${result.policyDocument.Statement[0]!.Effect} for ${mutated}`);
        } catch (err) {
          return err instanceof Error && err.message === "Unauthorized" && Object.getPrototypeOf(err) === Error.prototype;
        }
      }),
      { numRuns: 200 },
    );
    expect(runs).toBeGreaterThan(150);
    // And nothing of the token reached the log.
    const everything = logs.lines.join("\n");
    for (const part of valid.split(".")) expect(everything).not.toContain(part);
    expect(logs.lines.every((l) => JSON.parse(l).decision !== "allow" || l.includes(CLIENT))).toBe(true);
  });
});
