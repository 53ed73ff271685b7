/**
 * Tokens and headers that must never be allowed. Each case names the reason class the
 * scope checker must log, so a case cannot pass by failing for some other, earlier reason.
 * The whole corpus runs twice: against a one-client allow-list, and at platform scale (1,000
 * allowed clients with this one last, 200 routes).
 */
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { MAX_TOKEN_CHARS } from "../../lambdas/scope-checker/bearer-token";
import {
  ISSUER,
  REGION,
  USER_POOL_ID,
  accessToken,
  accessTokenClaims,
  authorizerEvent,
  b64url,
  captureConsole,
  generateSigningKey,
  hs256WithPublicKey,
  jwksOf,
  policyAllows,
  scopeIds,
  signJwt,
} from "./support/cognito-tokens";
import { PLATFORM_CLIENTS, PLATFORM_ROUTES, TEST_ROUTES, platformAllowList, platformRoutes } from "./support/test-routes";

const key = generateSigningKey("key-1");
const otherKey = generateSigningKey("key-1");
const CLIENT = "billing0client0id0000000001";
const SCOPE = scopeIds("payments.read", "payments.write");
const handlers = [
  { list: "one allowed client", handler: createHandler({ userPoolId: USER_POOL_ID, clientIds: [CLIENT], routes: TEST_ROUTES, jwks: jwksOf(key) }) },
  {
    list: `${PLATFORM_CLIENTS} allowed clients, ${PLATFORM_ROUTES} routes`,
    handler: createHandler({ userPoolId: USER_POOL_ID, clientIds: platformAllowList(CLIENT), routes: platformRoutes(), jwks: jwksOf(key) }),
  },
];

const valid = accessToken(key, CLIENT, SCOPE);
const [validHeader, validPayload, validSignature] = valid.split(".") as [string, string, string];
const claims = (overrides: Record<string, unknown>) => accessTokenClaims(CLIENT, SCOPE, overrides);
const signed = (overrides: Record<string, unknown>) => signJwt({ kid: key.kid, alg: "RS256" }, claims(overrides), key);
const without = (claim: string) => {
  const all = claims({});
  delete all[claim];
  return signJwt({ kid: key.kid, alg: "RS256" }, all, key);
};
const now = () => Math.floor(Date.now() / 1000);
const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** The same token with a spare bit of the signature's last character set: decoders ignore it. */
function nonCanonicalSpelling(token: string): string {
  const signature = token.split(".")[2]!;
  const respelled = signature.slice(0, -1) + BASE64URL[BASE64URL.indexOf(signature.at(-1)!) + 1];
  expect(signature.length % 4).toBe(2); // 256-byte RSA signature: 4 spare bits in the last character
  expect(Buffer.from(respelled, "base64url")).toEqual(Buffer.from(signature, "base64url"));
  return token.slice(0, -signature.length) + respelled;
}

type Expected = "no-token" | "malformed-header" | "multiple-tokens" | "oversized-token" | "malformed-token" | "unsupported-alg" | "unknown-kid"
  | "bad-signature" | "expired" | "not-yet-valid" | "wrong-issuer" | "wrong-token-use" | "client-not-allowed" | "invalid-claims" | "bad-event";

interface Case {
  readonly name: string;
  readonly headers?: Record<string, string> | null;
  readonly multiValueHeaders?: Record<string, string[]>;
  readonly event?: Record<string, unknown>;
  readonly reason: Expected;
  /** Only for a verified token whose client is not allowed: the client id the line must name. */
  readonly clientId?: string;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const unauthorizedCases: Case[] = [
  // The header
  { name: "no Authorization header", headers: { Host: "api.example.com" }, reason: "no-token" },
  { name: "no headers at all", headers: null, reason: "no-token" },
  { name: "empty header", headers: { Authorization: "" }, reason: "no-token" },
  { name: "white space only", headers: { Authorization: "  \t " }, reason: "no-token" },
  { name: "scheme without token", headers: { Authorization: "Bearer" }, reason: "malformed-header" },
  { name: "scheme and spaces only", headers: { Authorization: "Bearer    " }, reason: "malformed-header" },
  { name: "Basic credentials", headers: { Authorization: "Basic dXNlcjpwYXNzd29yZA==" }, reason: "malformed-header" },
  { name: "another scheme with a valid JWT", headers: { Authorization: `Token ${valid}` }, reason: "malformed-header" },
  { name: "scheme twice", headers: { Authorization: `Bearer Bearer ${valid}` }, reason: "malformed-header" },
  { name: "two tokens, comma separated", headers: { Authorization: `Bearer ${valid}, Bearer ${valid}` }, reason: "multiple-tokens" },
  { name: "two tokens, space separated", headers: { Authorization: `Bearer ${valid} ${valid}` }, reason: "multiple-tokens" },
  { name: "two bare tokens, comma without space", headers: { Authorization: `${valid},${valid}` }, reason: "multiple-tokens" },
  { name: "two Authorization headers differing in case", headers: { Authorization: `Bearer ${valid}`, authorization: `Bearer ${valid}` }, reason: "multiple-tokens" },
  { name: "two values in multiValueHeaders", headers: bearer(valid), multiValueHeaders: { authorization: [`Bearer ${valid}`, `Bearer ${valid}`] }, reason: "multiple-tokens" },
  { name: "oversized token (validly signed)", headers: bearer(signed({ padding: "x".repeat(MAX_TOKEN_CHARS) })), reason: "oversized-token" },
  // The token's shape
  { name: "two parts", headers: bearer(`${validHeader}.${validPayload}`), reason: "malformed-token" },
  { name: "four parts", headers: bearer(`${valid}.${validSignature}`), reason: "malformed-token" },
  { name: "empty signature", headers: bearer(`${validHeader}.${validPayload}.`), reason: "malformed-token" },
  { name: "base64 padding", headers: bearer(`${valid}==`), reason: "malformed-token" },
  { name: "standard base64 characters (+ /)", headers: bearer(`${validHeader}.${validPayload}.${validSignature.replace(/[-_]/g, "+")}/`), reason: "malformed-token" },
  { name: "non-canonical last base64url character (same signature bytes)", headers: bearer(nonCanonicalSpelling(valid)), reason: "malformed-token" },
  { name: "control character in token", headers: bearer(`${valid.slice(0, 10)}\u0000${valid.slice(10)}`), reason: "malformed-token" },
  { name: "header part not JSON", headers: bearer(`${b64url("not json")}.${validPayload}.${validSignature}`), reason: "malformed-token" },
  { name: "payload part not JSON", headers: bearer(`${validHeader}.${b64url("{client_id:")}.${validSignature}`), reason: "malformed-token" },
  { name: "header is a JSON array", headers: bearer(`${b64url([1, 2])}.${validPayload}.${validSignature}`), reason: "malformed-token" },
  { name: "payload is a JSON string", headers: bearer(signJwt({ kid: key.kid, alg: "RS256" }, JSON.stringify("hello"), key)), reason: "malformed-token" },
  // Algorithm and key
  { name: "alg none, unsigned", headers: bearer(`${b64url({ kid: key.kid, alg: "none" })}.${validPayload}.AAAA`), reason: "unsupported-alg" },
  { name: "alg none with the original signature", headers: bearer(`${b64url({ kid: key.kid, alg: "none" })}.${validPayload}.${validSignature}`), reason: "unsupported-alg" },
  { name: "HS256 signed with the public key", headers: bearer(hs256WithPublicKey(key, claims({}))), reason: "unsupported-alg" },
  { name: "RS384 with the pool's key", headers: bearer(signJwt({ kid: key.kid, alg: "RS384" }, claims({}), key, "sha384")), reason: "unsupported-alg" },
  { name: "unknown kid", headers: bearer(signJwt({ kid: "key-2", alg: "RS256" }, claims({}), key)), reason: "unknown-kid" },
  { name: "no kid", headers: bearer(signJwt({ alg: "RS256" }, claims({}), key)), reason: "unknown-kid" },
  { name: "kid of the wrong type", headers: bearer(signJwt({ kid: 1, alg: "RS256" }, claims({}), key)), reason: "malformed-token" },
  // Signature
  { name: "signed by another key with the same kid", headers: bearer(signJwt({ kid: key.kid, alg: "RS256" }, claims({}), otherKey)), reason: "bad-signature" },
  { name: "tampered payload (scope widened)", headers: bearer(`${validHeader}.${b64url(claims({ scope: `${SCOPE} ${scopeIds("admin")}` }))}.${validSignature}`), reason: "bad-signature" },
  { name: "tampered payload (client swapped)", headers: bearer(`${validHeader}.${b64url({ ...claims({}), client_id: "x" })}.${validSignature}`), reason: "bad-signature" },
  { name: "tampered signature", headers: bearer(`${validHeader}.${validPayload}.${flip(validSignature, 20)}`), reason: "bad-signature" },
  { name: "truncated signature", headers: bearer(`${validHeader}.${validPayload}.${validSignature.slice(0, 200)}`), reason: "bad-signature" },
  { name: "signature of another token", headers: bearer(`${validHeader}.${validPayload}.${accessToken(key, CLIENT, SCOPE).split(".")[2]}`), reason: "bad-signature" },
  // Claims
  { name: "expired", headers: bearer(signed({ exp: now() - 60, iat: now() - 3660 })), reason: "expired" },
  { name: "not yet valid (nbf in the future)", headers: bearer(signed({ nbf: now() + 600 })), reason: "not-yet-valid" },
  { name: "no exp claim", headers: bearer(without("exp")), reason: "invalid-claims" },
  { name: "exp is a string", headers: bearer(signed({ exp: String(now() + 3600) })), reason: "malformed-token" },
  { name: "issuer of another pool", headers: bearer(signed({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_OtherPool` })), reason: "wrong-issuer" },
  { name: "issuer with a trailing slash", headers: bearer(signed({ iss: `${ISSUER}/` })), reason: "wrong-issuer" },
  { name: "no issuer", headers: bearer(without("iss")), reason: "wrong-issuer" },
  { name: "ID token", headers: bearer(signed({ token_use: "id", aud: CLIENT })), reason: "wrong-token-use" },
  { name: "no token_use", headers: bearer(without("token_use")), reason: "wrong-token-use" },
  { name: "no client_id", headers: bearer(without("client_id")), reason: "invalid-claims" },
  { name: "client_id hidden in __proto__", headers: bearer(signJwt({ kid: key.kid, alg: "RS256" }, `{"__proto__":{"client_id":"${CLIENT}"},${JSON.stringify(claims({})).slice(1).replace(`"client_id":"${CLIENT}",`, "").replace(`,"client_id":"${CLIENT}"`, "")}`, key)), reason: "invalid-claims" },
  { name: "client_id of the wrong type", headers: bearer(signed({ client_id: 42 })), reason: "invalid-claims" },
  { name: "client not in the allow-list", headers: bearer(accessToken(key, "someone0else0000000000000009", SCOPE)), reason: "client-not-allowed", clientId: "someone0else0000000000000009" },
  // A disallowed client whose token also fails a check: that check is the reason, and its (unverified) client id is not logged.
  { name: "disallowed client, expired", headers: bearer(accessToken(key, "someone0else0000000000000009", SCOPE, { exp: now() - 60, iat: now() - 3660 })), reason: "expired" },
  { name: "disallowed client, signed by another key", headers: bearer(signJwt({ kid: key.kid, alg: "RS256" }, accessTokenClaims("someone0else0000000000000009", SCOPE), otherKey)), reason: "bad-signature" },
  { name: "disallowed client, ID token", headers: bearer(accessToken(key, "someone0else0000000000000009", SCOPE, { token_use: "id" })), reason: "wrong-token-use" },
  { name: "client in aud instead of client_id", headers: bearer(signed({ client_id: "someone0else0000000000000009", aud: CLIENT })), reason: "client-not-allowed", clientId: "someone0else0000000000000009" },
  { name: "scope is an array", headers: bearer(signed({ scope: SCOPE.split(" ") })), reason: "malformed-token" },
  { name: "scope is a number", headers: bearer(signed({ scope: 7 })), reason: "malformed-token" },
  // The event
  { name: "methodArn missing", headers: bearer(valid), event: { methodArn: undefined }, reason: "bad-event" },
  { name: "methodArn of another service", headers: bearer(valid), event: { methodArn: "arn:aws:lambda:eu-west-1:123456789012:function:x" }, reason: "bad-event" },
  { name: "methodArn with a wildcard API id", headers: bearer(valid), event: { methodArn: "arn:aws:execute-api:eu-west-1:123456789012:*/dev/POST/payments" }, reason: "bad-event" },
];

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => {
  logs = captureConsole();
});
afterEach(() => logs.restore());

it("has at least 30 distinct cases", () => {
  expect(new Set(unauthorizedCases.map((c) => c.name)).size).toBe(unauthorizedCases.length);
  expect(unauthorizedCases.length).toBeGreaterThanOrEqual(30);
});

describe.each(handlers)("with $list", ({ handler }) => {
  it("the untampered token is allowed (so every case below fails for its own reason)", async () => {
    const result = await handler(authorizerEvent({ method: "POST", resource: "/payments", headers: bearer(valid) }));
    expect(result.policyDocument.Statement[0]!.Effect).toBe("Allow");
  });

  describe.each(unauthorizedCases)("$name", ({ headers, multiValueHeaders, event, reason, clientId }) => {
    it(`is 401 (${reason}) and the log holds no token`, async () => {
      const request = { ...authorizerEvent({ method: "POST", resource: "/payments", headers, multiValueHeaders }), ...event };
      let thrown: unknown;
      await handler(request as Parameters<typeof handler>[0]).then(
        (result) => {
          thrown = result;
        },
        (err: unknown) => {
          thrown = err;
        },
      );
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toBe("Unauthorized");
      expect(logs.lines).toHaveLength(1);
      // A client id only where the token was verified; never claims of a token that failed a check.
      const expected = { msg: "scope-check", decision: "unauthorized", reason, ...(clientId === undefined ? {} : { clientId }), route: "POST /payments" };
      expect(JSON.parse(logs.lines[0]!)).toEqual(expected);
      const credential = Object.values(headers ?? {}).join(" ");
      for (const piece of credential.split(/[\s.,]+/).filter((p) => p.length > 16)) expect(logs.lines[0]).not.toContain(piece);
    });
  });

  describe.each([
    { name: "missing one of the route's scopes", token: accessToken(key, CLIENT, scopeIds("payments.read")) },
    { name: "no scope claim at all", token: without("scope") },
    { name: "empty scope claim", token: signed({ scope: "" }) },
    { name: "scopes of another resource server", token: signed({ scope: "https://other.example/payments.read https://other.example/payments.write" }) },
    { name: "scope names without the resource server", token: signed({ scope: "payments.read payments.write" }) },
    { name: "scopes joined by commas", token: signed({ scope: SCOPE.replace(" ", ",") }) },
  ])("a valid token with $name", ({ token }) => {
    it("gets a Deny policy (403), never an Allow", async () => {
      const request = authorizerEvent({ method: "POST", resource: "/payments", headers: bearer(token) });
      const result = await handler(request);
      expect(result.policyDocument.Statement[0]).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [request.methodArn] });
      expect(policyAllows(result.policyDocument, request.methodArn)).toBe(false);
      expect(JSON.parse(logs.lines[0]!)).toMatchObject({ decision: "deny", reason: "missing-scope", clientId: CLIENT });
    });
  });
});
