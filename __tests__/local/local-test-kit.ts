/**
 * Shared by the client, local and e2e tests: the one-API model (the fixture most suites use),
 * the default two-API model (m2m.config.ts), variants of them, an offline environment on free
 * loopback ports, and small HTTP helpers. Not a test file itself.
 */
import { createPublicKey, verify } from "node:crypto";
import { createTokenClient, type TokenClient, type TokenClientOptions } from "../../client/token-client";
import { setDecisionLogSink } from "../../lambdas/scope-checker/decision-log";
import { startLocalEnvironment, type LocalEnvironment, type LocalEnvironmentOptions } from "../../local/local-environment";
import defaultConfig from "../fixtures/single-api.config";
import twoApiConfig from "../../m2m.config";
import type { MultiApiConfigInput, SingleApiConfigInput } from "../../model/config-types";
import type { M2MModel } from "../../model/model-types";
import { validateConfig } from "../../model/validate";

/** The one-API form (`__tests__/fixtures/single-api.config.ts`). */
export const defaultModel: M2MModel = validateConfig(defaultConfig);

/** The default config, m2m.config.ts: APIs `content` and `payments` behind one user pool. */
export const twoApiModel: M2MModel = validateConfig(twoApiConfig);

/** A variant of the one-API config, validated like any config. */
export function modelWith(change: (config: SingleApiConfigInput) => SingleApiConfigInput): M2MModel {
  return validateConfig(change(structuredClone(defaultConfig) as SingleApiConfigInput));
}

/** A variant of the two-API default config, validated like any config. */
export function twoApiModelWith(change: (config: MultiApiConfigInput) => MultiApiConfigInput): M2MModel {
  return validateConfig(change(structuredClone(twoApiConfig) as MultiApiConfigInput));
}

/** What `runSmoke` is pointed at: each API's stage URL, the token endpoint and every client's credentials. */
export function smokeTargetOf(env: LocalEnvironment) {
  return {
    apiUrls: new Map(env.apis.map((a) => [a.name, a.url])),
    tokenEndpoint: env.tokenEndpoint,
    credentials: new Map(env.credentials.clients.map((c) => [c.name, { clientId: c.clientId, clientSecret: c.clientSecret }])),
  };
}

/** Scope-checker decision lines, captured instead of printed (and checked for leaks). */
export const decisionLogLines: string[] = [];
setDecisionLogSink((record) => decisionLogLines.push(JSON.stringify(record)));

export async function startEnv(options: Partial<LocalEnvironmentOptions> = {}): Promise<LocalEnvironment> {
  return startLocalEnvironment({ model: defaultModel, environment: "dev", port: 0, ...options });
}

export function clientOf(env: LocalEnvironment, name: string) {
  const client = env.credentials.clients.find((c) => c.name === name);
  if (!client) throw new Error(`no client ${name}`);
  return client;
}

/** A token client for one of the environment's clients, against its token endpoint. */
export function tokenClientFor(env: LocalEnvironment, name: string, extra: Partial<TokenClientOptions> = {}): TokenClient {
  const c = clientOf(env, name);
  return createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: c.clientId, clientSecret: c.clientSecret, ...extra });
}

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
}

export const FORM = "application/x-www-form-urlencoded";

/** POST to the token endpoint; returns status, parsed body and headers. */
export async function postToken(env: LocalEnvironment, init: { headers?: Record<string, string>; body?: string }) {
  const response = await fetch(env.tokenEndpoint, { method: "POST", headers: init.headers ?? {}, body: init.body ?? "" });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json: json as Record<string, unknown> | undefined, headers: response.headers };
}

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signingInput: string; signature: Buffer } {
  const [h, p, s] = token.split(".") as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(h, "base64url").toString("utf8")),
    payload: JSON.parse(Buffer.from(p, "base64url").toString("utf8")),
    signingInput: `${h}.${p}`,
    signature: Buffer.from(s, "base64url"),
  };
}

/** Verifies an RS256 JWT against a JWKS with node:crypto alone (independent of the code under test). */
export function verifiesWithJwks(token: string, jwks: { keys: { kid: string }[] }): boolean {
  const { header, signingInput, signature } = decodeJwt(token);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk || header.alg !== "RS256") return false;
  return verify("sha256", Buffer.from(signingInput), createPublicKey({ key: jwk as never, format: "jwk" }), signature);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
