import { createPublicKey, generateKeyPairSync, sign, verify, createVerify } from "node:crypto";
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { extractBearerToken } from "/work/main/lambdas/scope-checker/bearer-token";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const now = Math.floor(Date.now() / 1000);
const pool = "eu-west-1_BenchPool1";
const input = `${b64({ kid: "k", alg: "RS256" })}.${b64({ sub: "c", token_use: "access", scope: "https://x/a https://x/b", iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool}`, exp: now + 3600, iat: now, auth_time: now, jti: "x", version: 2, client_id: "c" })}`;
const token = `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
const v = CognitoJwtVerifier.create({ userPoolId: pool, tokenUse: "access", clientId: ["c"] });
v.cacheJwks({ keys: [{ ...(publicKey.export({ format: "jwk" }) as object), kid: "k", alg: "RS256", use: "sig" } as any] });
function bench(name: string, f: () => unknown, n = 5000) {
  for (let i = 0; i < 1000; i++) f();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  console.log(name.padEnd(30), (Number(process.hrtime.bigint() - t) / n / 1000).toFixed(2), "us");
}
const dot = token.lastIndexOf(".");
const sig = token.slice(dot + 1);
for (let k = 0; k < 2; k++) {
bench("crypto.verify", () => verify("RSA-SHA256", Buffer.from(token.slice(0, dot)), publicKey, Buffer.from(sig, "base64url")));
bench("createVerify", () => createVerify("RSA-SHA256").update(token.slice(0, dot)).verify({ key: publicKey, dsaEncoding: "ieee-p1363" }, sig, "base64"));
bench("verifySync", () => v.verifySync(token));
bench("extractBearer", () => extractBearerToken({ Host: "x", "User-Agent": "b", Accept: "*/*", Authorization: `Bearer ${token}` }));
bench("json stringify log", () => JSON.stringify({ msg: "scope-check", decision: "allow", reason: "scopes-satisfied", clientId: "c", route: "POST /payments" }));
}
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { safeJsonParse } from "aws-jwt-verify/safe-json-parse";
const [h, p] = token.split(".");
bench("decompose", () => decomposeUnverifiedJwt(token));
bench("b64 decode payload", () => Buffer.from(p!, "base64").toString("utf8"));
const ps = Buffer.from(p!, "base64").toString("utf8");
bench("safeJsonParse payload", () => safeJsonParse(ps));
bench("JSON.parse payload", () => JSON.parse(ps));
bench("regex", () => /^[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}$/.test(token));
bench("verifySync x", () => v.verifySync(token));
void h;
