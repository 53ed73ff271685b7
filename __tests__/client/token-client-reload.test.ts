/**
 * The token client after a rotation: `invalid_client` makes it re-read its credentials once
 * (shared by concurrent callers) and retry once, against the offline token endpoint.
 */
import { sharedSecretReader, type StoredClientCredentials } from "../../client/client-secret-store";
import { OAuthError } from "../../client/errors";
import { createTokenClient } from "../../client/token-client";
import type { LocalEnvironment } from "../../local/local-environment";
import { clientOf, startEnv } from "../local/local-test-kit";

let env: LocalEnvironment;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(() => env.close());

const STALE = "0".repeat(50);

function clientWith(reload: () => Promise<{ clientId: string; clientSecret: string }>) {
  const real = clientOf(env, "reader");
  return createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: real.clientId, clientSecret: STALE, reloadCredentials: reload });
}

test("a refused secret is re-read once and the request retried once with the new one", async () => {
  const real = clientOf(env, "reader");
  let reloads = 0;
  const tokens = clientWith(async () => {
    reloads++;
    return { clientId: real.clientId, clientSecret: real.clientSecret };
  });
  const before = env.metrics.requests;
  await expect(tokens.getToken()).resolves.toMatch(/^ey/);
  expect(reloads).toBe(1);
  expect(env.metrics.requests - before).toBe(2);
});

test("concurrent callers share one re-read (one Secrets Manager call)", async () => {
  const real = clientOf(env, "reader");
  let reads = 0;
  const reader = sharedSecretReader("arn:aws:secretsmanager:eu-west-1:000000000000:secret:x", {}, async (): Promise<StoredClientCredentials> => {
    reads++;
    await new Promise((r) => setTimeout(r, 20));
    return { clientId: real.clientId, clientSecret: real.clientSecret, tokenEndpoint: env.tokenEndpoint, scopes: [] };
  });
  const tokens = clientWith(reader.read);
  const got = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
  expect(new Set(got).size).toBe(1);
  expect(reads).toBe(1);
  // Separate token clients over one reader also share a read in flight.
  const [a, b] = [clientWith(reader.read), clientWith(reader.read)];
  await Promise.all([a.getToken(), b.getToken()]);
  expect(reads).toBe(2);
});

test("unchanged credentials are not retried, and the error stays invalid_client without the secret", async () => {
  const real = clientOf(env, "reader");
  let reloads = 0;
  const tokens = clientWith(async () => {
    reloads++;
    return { clientId: real.clientId, clientSecret: STALE };
  });
  const before = env.metrics.requests;
  const error = await tokens.getToken().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OAuthError);
  expect((error as OAuthError).code).toBe("invalid_client");
  expect(String((error as Error).message)).not.toContain(STALE);
  expect(reloads).toBe(1);
  expect(env.metrics.requests - before).toBe(1);
});

test("a second invalid_client after the re-read is final (no loop)", async () => {
  let reloads = 0;
  const tokens = clientWith(async () => {
    reloads++;
    return { clientId: clientOf(env, "reader").clientId, clientSecret: `${reloads}`.repeat(50) };
  });
  await expect(tokens.getToken()).rejects.toBeInstanceOf(OAuthError);
  expect(reloads).toBe(1);
});

test("without reloadCredentials, invalid_client is final as before", async () => {
  const tokens = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: clientOf(env, "reader").clientId, clientSecret: STALE });
  const before = env.metrics.requests;
  await expect(tokens.getToken()).rejects.toBeInstanceOf(OAuthError);
  expect(env.metrics.requests - before).toBe(1);
});
