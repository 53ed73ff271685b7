/**
 * OIDC parity offline: a standard OIDC client (openid-client, with jose for the keys) finds the
 * offline user pool from its issuer alone, gets a token with the client-credentials grant at the
 * token endpoint discovery names, and verifies it with the keys at the discovered jwks_uri, as it
 * would against Cognito. The token's `iss` is the offline issuer, and both offline authorizers
 * (API Gateway's native one and the scope-checker Lambda) still accept it.
 */
import { resolve } from "node:path";
import type { LocalEnvironment } from "../../local/local-environment";
import { scopeIdentifier } from "../../model/aws-urls";
import { runNode } from "../support/node-child";
import { clientOf, startEnv, twoApiModel } from "./local-test-kit";

const OIDC_CLIENT = resolve(__dirname, "../fixtures/oidc-client.mjs");

let env: LocalEnvironment;
beforeAll(async () => {
  env = await startEnv({ model: twoApiModel });
});
afterAll(() => env.close());

interface ClientRun {
  discovered?: { issuer: string; token_endpoint: string; jwks_uri: string };
  tokenType?: string;
  verified?: { iss: string; client_id: string; token_use: string; scope: string; alg: string };
  call?: { status: number };
  error?: { name: string; code?: string; error?: string; status?: number };
}

async function oidcClient(input: { client: string; secret?: string; auth: "basic" | "post"; scope?: string; call?: string; body?: unknown }): Promise<ClientRun> {
  const c = clientOf(env, input.client);
  const run = await runNode([OIDC_CLIENT], {
    PATH: process.env.PATH,
    OIDC_ISSUER: env.issuer,
    OIDC_CLIENT_ID: c.clientId,
    OIDC_CLIENT_SECRET: input.secret ?? c.clientSecret,
    OIDC_AUTH: input.auth,
    ...(input.scope === undefined ? {} : { OIDC_SCOPE: input.scope }),
    ...(input.call === undefined ? {} : { OIDC_CALL: input.call }),
    ...(input.body === undefined ? {} : { OIDC_CALL_BODY: JSON.stringify(input.body) }),
  });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as ClientRun;
}

describe("the offline issuer, as Cognito publishes one", () => {
  it("is the token server's URL + /<pool id>, and tokens carry it", async () => {
    expect(env.issuer).toBe(`${env.url}/${env.userPoolId}`);
    const doc = (await (await fetch(`${env.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({ issuer: env.issuer, jwks_uri: env.jwksUrl, token_endpoint: env.tokenEndpoint });
    expect(env.jwksUrl).toBe(`${env.issuer}/.well-known/jwks.json`);
  });

  it("serves discovery only at the issuer's path: another pool id is API Gateway's 403", async () => {
    const other = await fetch(`${env.url}/eu-west-1_Other1234/.well-known/openid-configuration`);
    expect(other.status).toBe(403);
  });
});

describe("openid-client: discovery, client credentials, verification with the issuer's keys", () => {
  it.each(["basic", "post"] as const)("client_secret_%s: a token verified by jose and accepted by the native authorizer", async (auth) => {
    const read = scopeIdentifier(env.apiUrlOf("content"), "read");
    const run = await oidcClient({ client: "reader", auth, scope: read, call: `${env.apiUrlOf("content")}/premium` });
    expect(run.error).toBeUndefined();
    expect(run.discovered).toEqual({ issuer: env.issuer, token_endpoint: env.tokenEndpoint, jwks_uri: env.jwksUrl });
    expect(run.tokenType?.toLowerCase()).toBe("bearer");
    expect(run.verified).toEqual({ iss: env.issuer, client_id: clientOf(env, "reader").clientId, token_use: "access", scope: read, alg: "RS256" });
    expect(run.call).toEqual({ status: 200 });
  });

  it("a token for a scope-checker route is accepted by the scope-checker Lambda, which verifies the offline issuer", async () => {
    // POST /payments needs both of billing's scopes, and the scope-checker Lambda guards it.
    const run = await oidcClient({ client: "billing", auth: "basic", call: `${env.apiUrlOf("payments")}/payments`, body: { amount: 1250, currency: "EUR" } });
    expect(run.error).toBeUndefined();
    expect(run.verified?.iss).toBe(env.issuer);
    expect(run.call).toEqual({ status: 202 });
  });

  it("a wrong secret: openid-client reads Cognito's invalid_client answer", async () => {
    const run = await oidcClient({ client: "reader", auth: "basic", secret: "not-the-secret" });
    expect(run.verified).toBeUndefined();
    expect(run.error).toMatchObject({ error: "invalid_client", status: 400 });
  });
});
