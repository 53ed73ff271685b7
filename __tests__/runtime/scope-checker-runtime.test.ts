/**
 * Runtime tier, scope checker: each config's scope-checker zip (its access file as the layer at
 * /opt, rendered with the world's client ids) in a fresh Node 22, invoked with REQUEST
 * authorizer events carrying tokens signed by an RSA key made here, whose JWKS is served on
 * 127.0.0.1 (JWKS_URI: the one variable the stack does not set; in AWS the pool's Cognito JWKS).
 * Allow (all scopes), deny (one missing), cut-off (a client not on the allow-list: 401), and the
 * usage key API Gateway meters by.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { lambdaArtifacts, resolvedEnvironment, type LambdaArtifact } from "./lambda-artifacts";
import { LambdaProcess } from "./lambda-process";
import { placeholderWorld } from "./runtime-world";

const REGION = "eu-west-1";
const root = tempDir("runtime-scope-checker");
const checkers: [string, LambdaArtifact][] = (["default", "all-options", "per-team"] as const).flatMap((name) =>
  synthesizeStacks(name, VERIFIED_CONFIGS[name]().config, path.join(root, name)).flatMap((stack) =>
    lambdaArtifacts(stack.dir, placeholderWorld)
      .filter((a) => a.functionName.endsWith("-scope-checker"))
      .map((a) => [`${stack.label} ${a.functionName}`, a] as [string, LambdaArtifact]),
  ),
);

const b64url = (value: Buffer | string) => Buffer.from(value).toString("base64url");
let privateKey: KeyObject;
let kid: string;
let jwks: http.Server;
let jwksUri: string;

beforeAll(async () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  privateKey = pair.privateKey;
  const jwk = pair.publicKey.export({ format: "jwk" });
  kid = randomUUID();
  jwks = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [{ ...jwk, kid, alg: "RS256", use: "sig" }] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(async () => {
  await new Promise((resolve) => jwks?.close(resolve));
  fs.rmSync(root, { recursive: true, force: true });
});

/** A Cognito client-credentials access token, as the pool would sign it. */
function accessToken(userPoolId: string, clientId: string, scopes: readonly string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ kid, alg: "RS256" }));
  const payload = b64url(
    JSON.stringify({
      sub: clientId, token_use: "access", scope: scopes.join(" "), auth_time: now, iss: `https://cognito-idp.${REGION}.amazonaws.com/${userPoolId}`,
      exp: now + 600, iat: now, version: 2, jti: randomUUID(), client_id: clientId,
    }),
  );
  return `${header}.${payload}.${b64url(sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), privateKey))}`;
}

interface AccessFile {
  clientIds: string[];
  routes: { method: string; path: string; scopes: string[] }[];
}

function event(route: AccessFile["routes"][number], token: string) {
  const method = route.method === "ANY" ? "GET" : route.method;
  const concretePath = route.path.replace(/\{[^}]+\}/g, "x");
  return {
    type: "REQUEST",
    methodArn: `arn:aws:execute-api:${REGION}:123456789012:runtime1234/live/${method}${concretePath}`,
    resource: route.path, path: concretePath, httpMethod: method,
    headers: { Authorization: `Bearer ${token}` }, multiValueHeaders: { Authorization: [`Bearer ${token}`] },
    queryStringParameters: null, pathParameters: null, stageVariables: null,
    requestContext: { resourcePath: route.path, httpMethod: method, stage: "live", requestId: randomUUID(), identity: { sourceIp: "192.0.2.10" } },
  };
}

test("every config has a scope checker", () => expect(checkers.length).toBeGreaterThanOrEqual(3));

test.each(checkers)("%s: allow, deny, cut-off and usage key, as deployed", async (_label, artifact) => {
  const variables = resolvedEnvironment(artifact, placeholderWorld);
  const access = JSON.parse(artifact.layers[0]!.find((f) => f.name === "access.json")!.data.toString("utf8")) as AccessFile;
  const route = access.routes[0]!;
  const full = route.scopes.map((s) => `${variables.RESOURCE_SERVER_ID}/${s}`);
  const client = access.clientIds[0]!;
  const { process: lambda } = await LambdaProcess.start(artifact, { variables, extra: { JWKS_URI: jwksUri } });
  try {
    const allowed = await lambda.invoke(event(route, accessToken(variables.USER_POOL_ID!, client, full)));
    expect(allowed).toMatchObject({ ok: true });
    const allow = allowed.result as { principalId: string; usageIdentifierKey: string; context: { clientId: string }; policyDocument: { Statement: { Effect: string }[] } };
    expect(allow.policyDocument.Statement[0]!.Effect).toBe("Allow");
    expect(allow.context.clientId).toBe(client);
    expect(allow.usageIdentifierKey).toBe(createHash("sha256").update(`cognito-m2m-usage-key:${client}`).digest("hex"));

    const denied = await lambda.invoke(event(route, accessToken(variables.USER_POOL_ID!, client, full.slice(0, -1).concat(`${variables.RESOURCE_SERVER_ID}/not-granted`))));
    expect(denied.ok).toBe(true);
    expect((denied.result as typeof allow).policyDocument.Statement[0]!.Effect).toBe("Deny");

    const cutOff = await lambda.invoke(event(route, accessToken(variables.USER_POOL_ID!, "client-cut-off", full)));
    expect(cutOff).toEqual({ ok: false, errorType: "Error", errorMessage: "Unauthorized" });

    // Logs: decisions with ids only, never the token (console.log of an object: Lambda's JSON
    // log format turns it into one record; this bootstrap leaves Node's own formatting).
    // Read once the function has ended: its stdout is a pipe of its own, apart from the answers'
    // channel, so the last decision line can arrive after the last answer.
    await lambda.stop();
    expect(lambda.logs).toMatch(/decision: 'allow'[\s\S]*decision: 'deny'[\s\S]*decision: 'unauthorized'/);
    expect(lambda.logs).not.toMatch(/eyJ[\w-]+\.eyJ/);
  } finally {
    await lambda.stop();
  }
});
