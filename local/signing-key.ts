/**
 * The offline user pool's RS256 signing key: generated at start with node:crypto, never written
 * to disk, published as a JWKS exactly like Cognito's `/.well-known/jwks.json`.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

export interface PublicJwk {
  readonly kty: "RSA";
  readonly kid: string;
  readonly alg: "RS256";
  readonly use: "sig";
  readonly n: string;
  readonly e: string;
}

export interface Jwks {
  readonly keys: readonly PublicJwk[];
}

export interface SigningKey {
  readonly jwk: PublicJwk;
  readonly jwks: Jwks;
  /** Signs a JWT with this key: `{ kid, alg: RS256 }` header, JSON payload. */
  signJwt(payload: Readonly<Record<string, unknown>>): string;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/** RFC 7638 thumbprint: a stable kid derived from the key itself. */
function thumbprint(n: string, e: string): string {
  return createHash("sha256").update(JSON.stringify({ e, kty: "RSA", n })).digest("base64url");
}

export function generateSigningKey(): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const exported = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const jwk: PublicJwk = { kty: "RSA", kid: thumbprint(exported.n, exported.e), alg: "RS256", use: "sig", n: exported.n, e: exported.e };
  return { jwk, jwks: { keys: [jwk] }, signJwt: (payload) => signJwt(privateKey, jwk.kid, payload) };
}

function signJwt(privateKey: KeyObject, kid: string, payload: Readonly<Record<string, unknown>>): string {
  const signingInput = `${base64url(JSON.stringify({ kid, alg: "RS256" }))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign("sha256", Buffer.from(signingInput), privateKey);
  return `${signingInput}.${base64url(signature)}`;
}
