/**
 * The offline token endpoint over real HTTP on 127.0.0.1: Cognito's client-credentials success
 * response and claim set, and each error answered the way Cognito documents it (400 Bad Request
 * and `{"error": "<code>"}` for every error, invalid_client included).
 */
import type { LocalEnvironment } from "../../local/local-environment";
import { scopeIdentifier } from "../../model/aws-urls";
import { basic, clientOf, decodeJwt, FORM, modelWith, postToken, startEnv, verifiesWithJwks } from "./local-test-kit";

let env: LocalEnvironment;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(() => env.close());

const grant = "grant_type=client_credentials";

describe("successful client-credentials grant", () => {
  it("issues a Bearer token with the client's validity and no-store caching headers", async () => {
    const reader = clientOf(env, "reader");
    const res = await postToken(env, { headers: { authorization: basic(reader.clientId, reader.clientSecret), "content-type": FORM }, body: grant });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json!).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    expect(res.json!.token_type).toBe("Bearer");
    expect(res.json!.expires_in).toBe(3600); // the default 60 minutes
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("signs an RS256 access token with Cognito's claim set, verifiable with the published JWKS", async () => {
    const billing = clientOf(env, "billing");
    const res = await postToken(env, { headers: { authorization: basic(billing.clientId, billing.clientSecret), "content-type": FORM }, body: grant });
    const token = res.json!.access_token as string;
    const jwks = (await (await fetch(env.jwksUrl)).json()) as { keys: { kid: string; kty: string; alg: string; use: string }[] };
    expect(env.jwksUrl).toBe(`${env.url}/${env.userPoolId}/.well-known/jwks.json`);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(verifiesWithJwks(token, jwks)).toBe(true);

    const { header, payload } = decodeJwt(token);
    expect(header).toEqual({ kid: jwks.keys[0]!.kid, alg: "RS256" });
    expect(Object.keys(payload).sort()).toEqual(["auth_time", "client_id", "exp", "iat", "iss", "jti", "scope", "sub", "token_use", "version"]);
    expect(payload.sub).toBe(billing.clientId);
    expect(payload.client_id).toBe(billing.clientId);
    expect(payload.token_use).toBe("access");
    // Offline the issuer is the token server's URL + /<pool id>, where discovery is served (oidc-discovery.test.ts).
    expect(payload.iss).toBe(`${env.url}/${env.userPoolId}`);
    expect(env.userPoolId).toMatch(/^eu-west-1_[A-Za-z0-9]{9}$/);
    expect(payload.version).toBe(2);
    expect(payload.auth_time).toBe(payload.iat);
    expect((payload.exp as number) - (payload.iat as number)).toBe(15 * 60); // billing's configured validity
    expect(Math.abs((payload.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect((payload.scope as string).split(" ").sort()).toEqual(
      ["payments.read", "payments.write"].map((s) => scopeIdentifier(env.apiUrl, s)).sort(),
    );
  });

  it("accepts credentials in the form body (client_secret_post) and grants only the requested scope", async () => {
    const writer = clientOf(env, "writer");
    const write = scopeIdentifier(env.apiUrl, "write");
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: writer.clientId, client_secret: writer.clientSecret, scope: write });
    const res = await postToken(env, { headers: { "content-type": `${FORM}; charset=UTF-8` }, body: body.toString() });
    expect(res.status).toBe(200);
    expect(decodeJwt(res.json!.access_token as string).payload.scope).toBe(write);
  });

  it("gives every token a fresh jti", async () => {
    const reader = clientOf(env, "reader");
    const headers = { authorization: basic(reader.clientId, reader.clientSecret), "content-type": FORM };
    const [a, b] = await Promise.all([postToken(env, { headers, body: grant }), postToken(env, { headers, body: grant })]);
    expect(decodeJwt(a.json!.access_token as string).payload.jti).not.toBe(decodeJwt(b.json!.access_token as string).payload.jti);
  });
});

describe("errors answered like Cognito", () => {
  const reader = () => clientOf(env, "reader");
  const auth = () => basic(reader().clientId, reader().clientSecret);

  it.each([
    { name: "wrong secret", request: () => ({ headers: { authorization: basic(reader().clientId, "not-the-secret"), "content-type": FORM }, body: grant }), status: 400, error: "invalid_client" },
    { name: "unknown client", request: () => ({ headers: { authorization: basic("unknownclientid0000000000a", "whatever"), "content-type": FORM }, body: grant }), status: 400, error: "invalid_client" },
    { name: "no client authentication", request: () => ({ headers: { "content-type": FORM }, body: grant }), status: 400, error: "invalid_client" },
    { name: "a Basic header that is not id:secret", request: () => ({ headers: { authorization: `Basic ${Buffer.from("no-colon").toString("base64")}`, "content-type": FORM }, body: grant }), status: 400, error: "invalid_client" },
    { name: "an unsupported grant type", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: "grant_type=password&username=a&password=b" }), status: 400, error: "unsupported_grant_type" },
    { name: "a grant the M2M client may not use", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: "grant_type=authorization_code&code=abc" }), status: 400, error: "unauthorized_client" },
    { name: "a refresh_token grant", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: "grant_type=refresh_token&refresh_token=abc" }), status: 400, error: "unauthorized_client" },
    { name: "a missing grant_type", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: "scope=x" }), status: 400, error: "invalid_request" },
    { name: "a repeated parameter", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: `${grant}&${grant}` }), status: 400, error: "invalid_request" },
    { name: "the wrong content type", request: () => ({ headers: { authorization: auth(), "content-type": "text/plain" }, body: grant }), status: 400, error: "invalid_request" },
    { name: "no content type", request: () => ({ headers: { authorization: auth() }, body: grant }), status: 400, error: "invalid_request" },
    { name: "a JSON body instead of a form", request: () => ({ headers: { authorization: auth(), "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials" }) }), status: 400, error: "invalid_request" },
    { name: "two authentication methods at once", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: `${grant}&client_secret=${reader().clientSecret}` }), status: 400, error: "invalid_request" },
    { name: "a scope the client is not allowed", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: `${grant}&scope=${encodeURIComponent(scopeIdentifier(env.apiUrl, "write"))}` }), status: 400, error: "invalid_scope" },
    { name: "a scope that does not exist", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: `${grant}&scope=${encodeURIComponent(scopeIdentifier(env.apiUrl, "nope"))}` }), status: 400, error: "invalid_scope" },
    { name: "a scope name without the resource server", request: () => ({ headers: { authorization: auth(), "content-type": FORM }, body: `${grant}&scope=read` }), status: 400, error: "invalid_scope" },
  ])("$name: HTTP $status $error", async ({ request, status, error }) => {
    const before = env.metrics.tokensIssued;
    const res = await postToken(env, request());
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(env.metrics.tokensIssued).toBe(before);
  });

  it("answers invalid_client with 400 for client_secret_basic too, as Cognito documents (not RFC 6749's 401)", async () => {
    const res = await postToken(env, { headers: { authorization: basic(reader().clientId, "not-the-secret"), "content-type": FORM }, body: grant });
    expect([res.status, res.json, res.headers.get("www-authenticate")]).toEqual([400, { error: "invalid_client" }, null]);
  });

  it("answers an unknown client and a wrong secret identically (no client enumeration)", async () => {
    const wrongSecret = await postToken(env, { headers: { authorization: basic(reader().clientId, "x"), "content-type": FORM }, body: grant });
    const unknown = await postToken(env, { headers: { authorization: basic("zzzzzzzzzzzzzzzzzzzzzzzzzz", "x"), "content-type": FORM }, body: grant });
    expect([unknown.status, unknown.json]).toEqual([wrongSecret.status, wrongSecret.json]);
  });

  it("refuses GET", async () => {
    const res = await fetch(env.tokenEndpoint);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("a disabled client", () => {
  it("is refused a token as an unknown client is (the deployed stack deletes its app client)", async () => {
    const model = modelWith((c) => ({ ...c, clients: c.clients.map((cl) => (cl.name === "reader" ? { ...cl, disabled: true } : cl)) }));
    const local = await startEnv({ model });
    try {
      const reader = clientOf(local, "reader");
      const res = await postToken(local, { headers: { authorization: basic(reader.clientId, reader.clientSecret), "content-type": FORM }, body: grant });
      expect([res.status, res.json]).toEqual([400, { error: "invalid_client" }]);
      const unknown = await postToken(local, { headers: { authorization: basic("zzzzzzzzzzzzzzzzzzzzzzzzzz", reader.clientSecret), "content-type": FORM }, body: grant });
      expect([unknown.status, unknown.json]).toEqual([res.status, res.json]);
      expect(local.metrics.tokensIssued).toBe(0);
      const writer = clientOf(local, "writer");
      const ok = await postToken(local, { headers: { authorization: basic(writer.clientId, writer.clientSecret), "content-type": FORM }, body: grant });
      expect(ok.status).toBe(200);
    } finally {
      await local.close();
    }
  });
});
