/**
 * A consumer that never stops calling the offline API through three rotations of its secret
 * (Secrets Manager RotateSecret on the offline environment, running the rotation function's own
 * code): tokens live one second, so the consumer asks for new ones throughout; after the second
 * rotation the secret it started with is deleted from Cognito, the token endpoint answers
 * invalid_client, and the token client re-reads the secret (one shared Secrets Manager call) and
 * retries. Counted: calls, rotations, failed calls (must be zero).
 */
import { RotateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { sharedSecretReader } from "../../client/client-secret-store";
import { startConsumer } from "../support/continuous-consumer";
import { createTokenClient } from "../../client/token-client";
import { LOCAL_AWS_CREDENTIALS, type LocalEnvironment } from "../../local/local-environment";
import { basic, FORM, postToken, startEnv } from "../local/local-test-kit";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const CLIENT = "reader";
const WORKERS = 4;
const ROTATIONS = 3;
let env: LocalEnvironment;

beforeAll(async () => {
  // 2-second tokens: the offline pool's exp is whole seconds (iat truncated), so a 1-second token
  // could expire before the client's refresh point (half its life) and every call in between
  // would be refused; with 2 s, exp always lies past the refresh point.
  env = await startEnv({ accessTokenLifetimeSeconds: 2, rotationGraceSeconds: 0 });
});
afterAll(() => env.close());

test("zero failed calls through three rotations", async () => {
  const access = { endpoint: env.awsEndpoint, region: "eu-west-1", credentials: LOCAL_AWS_CREDENTIALS };
  const arn = env.secretArns.get(CLIENT)!;
  const secret = sharedSecretReader(arn, access);
  const initial = await secret.read();
  const tokens = createTokenClient({ tokenEndpoint: initial.tokenEndpoint, clientId: initial.clientId, clientSecret: initial.clientSecret, reloadCredentials: secret.read });

  const consumer = startConsumer(tokens, `${env.apiUrl}/premium`, WORKERS);

  const sm = new SecretsManagerClient({ ...access, maxAttempts: 1 });
  const pause = () => new Promise((r) => setTimeout(r, 1200)); // longer than a token's life
  let rotations = 0;
  let consumed: Awaited<ReturnType<typeof consumer.stop>> = { calls: 0, failures: ["the consumer was not stopped"] };
  try {
    for (let i = 0; i < ROTATIONS; i++) {
      await pause();
      await sm.send(new RotateSecretCommand({ SecretId: arn }));
      rotations++;
    }
    await pause();
  } finally {
    consumed = await consumer.stop();
    sm.destroy();
  }
  const { calls, failures } = consumed;

  const refused = await postToken(env, { headers: { authorization: basic(initial.clientId, initial.clientSecret), "content-type": FORM }, body: "grant_type=client_credentials" });
  // eslint-disable-next-line no-console
  console.log(`continuous consumer: ${calls} calls, ${rotations} rotations, ${failures.length} failed calls, ${secret.reads - 1} secret re-reads, ${tokens.tokensObtained} tokens`);
  expect(rotations).toBe(ROTATIONS);
  expect(failures).toEqual([]);
  expect(calls).toBeGreaterThan(100);
  // The secret the consumer started with is gone: the re-read, not luck, kept it working.
  expect(refused.status).toBe(400);
  expect(secret.reads).toBeGreaterThanOrEqual(2);
}, 60_000);
