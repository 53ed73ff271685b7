/**
 * Test doubles for a Cognito user pool: RSA signing keys made with node:crypto, a JWKS shaped
 * like Cognito's, and access tokens carrying Cognito's client-credentials claim set.
 */
import { createHmac, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";

export const REGION = "eu-west-1";
export const USER_POOL_ID = "eu-west-1_TestPool1";
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
export const RESOURCE_SERVER = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev";
export const ARN_PREFIX = "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/dev/";

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public key as Cognito publishes it: kty, n, e, kid, alg RS256, use sig. */
  readonly jwk: { kty: string; n: string; e: string; kid: string; alg: string; use: string };
}

export function generateSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const exported = publicKey.export({ format: "jwk" }) as { kty: string; n: string; e: string };
  return { kid, privateKey, publicKey, jwk: { kty: exported.kty, n: exported.n, e: exported.e, kid, alg: "RS256", use: "sig" } };
}

export function jwksOf(...keys: SigningKey[]): { keys: object[] } {
  return { keys: keys.map((k) => ({ ...k.jwk })) };
}

export function b64url(value: string | Buffer | object): string {
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8");
  return bytes.toString("base64url");
}

export function scopeIds(...names: string[]): string {
  return names.map((n) => `${RESOURCE_SERVER}/${n}`).join(" ");
}

/** Cognito's client-credentials access token claims (no aud, no username), valid for an hour. */
export function accessTokenClaims(clientId: string, scope: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: clientId,
    token_use: "access",
    scope,
    auth_time: now,
    iss: ISSUER,
    exp: now + 3600,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: clientId,
    ...overrides,
  };
}

/** Signs header.payload with RS256 (or another RSA alg), the way Cognito does. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown> | string, key: SigningKey, hash = "sha256"): string {
  const signingInput = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign(hash, Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString("base64url")}`;
}

export function accessToken(key: SigningKey, clientId: string, scope: string, overrides: Record<string, unknown> = {}): string {
  return signJwt({ kid: key.kid, alg: "RS256" }, accessTokenClaims(clientId, scope, overrides), key);
}

/** HS256 "signed" with the public key's PEM as the HMAC secret: the classic alg confusion forgery. */
export function hs256WithPublicKey(key: SigningKey, payload: Record<string, unknown>): string {
  const signingInput = `${b64url({ kid: key.kid, alg: "HS256" })}.${b64url(payload)}`;
  const pem = key.publicKey.export({ format: "pem", type: "spki" }) as string;
  return `${signingInput}.${createHmac("sha256", pem).update(signingInput).digest("base64url")}`;
}

export interface EventInit {
  readonly method: string;
  readonly resource: string;
  /** The concrete request path; defaults to the resource with `{x}` replaced by `1`. */
  readonly path?: string;
  readonly headers?: Record<string, string> | null;
  readonly multiValueHeaders?: Record<string, string[]> | null;
}

export function concretePath(resource: string): string {
  return resource.replace(/\{[^}]+\}/g, "1");
}

export function authorizerEvent(init: EventInit) {
  const path = init.path ?? concretePath(init.resource);
  return {
    type: "REQUEST",
    methodArn: `${ARN_PREFIX}${init.method}${path}`,
    resource: init.resource,
    path,
    httpMethod: init.method,
    headers: init.headers === undefined ? {} : init.headers,
    multiValueHeaders: init.multiValueHeaders === undefined ? null : init.multiValueHeaders,
    queryStringParameters: null,
    pathParameters: {},
    stageVariables: null,
    requestContext: { stage: "dev", httpMethod: init.method, resourcePath: init.resource },
  };
}

/**
 * IAM evaluation of an authorizer policy for one method ARN, written independently of the
 * scope checker: `*` matches any run of characters (also `/`), `?` one character, an explicit
 * Deny beats any Allow, and no match means deny.
 */
const compiledPatterns = new Map<string, RegExp>();
function iamPattern(pattern: string): RegExp {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "s");
    compiledPatterns.set(pattern, regex);
  }
  return regex;
}

export function policyAllows(policy: { Statement: readonly { Effect: string; Resource: readonly string[] | string }[] }, methodArn: string): boolean {
  const matches = (pattern: string) => iamPattern(pattern).test(methodArn);
  const resources = (r: readonly string[] | string) => (typeof r === "string" ? [r] : r);
  if (policy.Statement.some((s) => s.Effect === "Deny" && resources(s.Resource).some(matches))) return false;
  return policy.Statement.some((s) => s.Effect === "Allow" && resources(s.Resource).some(matches));
}

/**
 * Collects what the scope checker writes with console.log (its default log sink), each call as
 * the JSON text of the log event's `message` (a single object argument stays an object there).
 */
export function captureConsole(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.length === 1 && typeof args[0] === "object" ? JSON.stringify(args[0]) : args.map(String).join(" "));
  });
  return { lines, restore: () => spy.mockRestore() };
}
