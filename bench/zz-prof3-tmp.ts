import { generateKeyPairSync, sign, verify } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { createHandler } from "../lambdas/scope-checker/scope-checker";
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { extractBearerToken } from "../lambdas/scope-checker/bearer-token";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const pool = "eu-west-1_BenchPool1";
const RS = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod";
const input = `${b64({ kid: "k", alg: "RS256" })}.${b64({ sub: "c", token_use: "access", scope: `${RS}/payments.read ${RS}/payments.write ${RS}/orders.read`, iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`, exp: now + 3600, iat: now, auth_time: now, jti: "2f6d3c1e-5b7a-4b9e-8c2d-1a2b3c4d5e6f", version: 2, client_id: "c" })}`;
const token = `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
const jwks = { keys: [{ ...(publicKey.export({ format: "jwk" }) as object), kid: "k", alg: "RS256", use: "sig" } as any] };
const v = CognitoJwtVerifier.create({ userPoolId: pool, tokenUse: "access", clientId: ["c"] });
v.cacheJwks(jwks);
const h = createHandler({ userPoolId: pool, clientIds: ["c"], routes: [{ method: "POST", path: "/payments", scopes: [`${RS}/payments.read`, `${RS}/payments.write`] }], jwks });
setDecisionLogSink(() => {});
const ev = { methodArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/prod/POST/payments", resource: "/payments", httpMethod: "POST", headers: { Host: "x", "User-Agent": "b", Accept: "*/*", Authorization: `Bearer ${token}` } };
const dot = token.lastIndexOf(".");
const fns: Record<string, () => unknown> = {
  raw: () => verify("RSA-SHA256", Buffer.from(token.slice(0, dot)), publicKey, Buffer.from(token.slice(dot + 1), "base64url")),
  verifySync: () => v.verifySync(token),
  bearer: () => extractBearerToken(ev.headers),
};
const results: Record<string, number[]> = { raw: [], verifySync: [], bearer: [], handler: [] };
(async () => {
  for (let r = 0; r < 40; r++) {
    for (const [k, f] of Object.entries(fns)) {
      const t = process.hrtime.bigint();
      for (let i = 0; i < 300; i++) f();
      results[k]!.push(Number(process.hrtime.bigint() - t) / 300 / 1000);
    }
    const t = process.hrtime.bigint();
    for (let i = 0; i < 300; i++) await h(ev as any);
    results.handler!.push(Number(process.hrtime.bigint() - t) / 300 / 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  for (const [k, xs] of Object.entries(results)) console.log(k.padEnd(12), med(xs).toFixed(2), "us", (med(xs) / med(results.raw!)).toFixed(2) + "x");
})();
