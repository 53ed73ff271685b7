/**
 * The token verifier with an issuer of its own (what the offline environment passes: its URL +
 * /<pool id>): that issuer alone is accepted, and Cognito's other checks still hold (token use,
 * RS256, exp, client_id, signature). Without `issuer`, Cognito's issuer for the pool, as deployed.
 */
import { createTokenVerifier, type TokenCheck } from "../../lambdas/scope-checker/token-verifier";
import { ISSUER, USER_POOL_ID, accessToken, generateSigningKey, jwksOf, scopeIds } from "./support/cognito-tokens";

const key = generateSigningKey("key-1");
const otherKey = generateSigningKey("key-1");
const CLIENT = "reader0client0id00000000001";
const OFFLINE_ISSUER = `http://127.0.0.1:4010/${USER_POOL_ID}`;
const offline = createTokenVerifier({ userPoolId: USER_POOL_ID, issuer: OFFLINE_ISSUER, clientIds: [CLIENT], jwks: jwksOf(key) }) as (jwt: string) => TokenCheck;
const deployed = createTokenVerifier({ userPoolId: USER_POOL_ID, clientIds: [CLIENT], jwks: jwksOf(key) }) as (jwt: string) => TokenCheck;
const token = (overrides: Record<string, unknown> = {}, signer = key) => accessToken(signer, CLIENT, scopeIds("read"), { iss: OFFLINE_ISSUER, ...overrides });

it("accepts a token of its issuer", () => {
  expect(offline(token())).toEqual({ ok: true, token: { clientId: CLIENT, scope: scopeIds("read") } });
});

it.each([
  ["Cognito's issuer for the same pool", token({ iss: ISSUER }), "wrong-issuer"],
  ["an id token", token({ token_use: "id" }), "wrong-token-use"],
  ["no exp", token({ exp: undefined }), "invalid-claims"],
  ["no client_id", token({ client_id: undefined }), "invalid-claims"],
  ["another key's signature", token({}, otherKey), "bad-signature"],
  ["expired", token({ exp: Math.floor(Date.now() / 1000) - 60 }), "expired"],
])("refuses %s", (_name, jwt, reason) => {
  expect(offline(jwt)).toMatchObject({ ok: false, reason });
});

it("without an issuer, Cognito's is the only one accepted (the deployed Lambda)", () => {
  expect(deployed(token())).toMatchObject({ ok: false, reason: "wrong-issuer" });
  expect(deployed(token({ iss: ISSUER }))).toMatchObject({ ok: true });
});
