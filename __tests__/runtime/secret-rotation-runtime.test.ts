/**
 * Runtime tier, rotation: the default config's deployed rotation bundle (exactly its zip) in a
 * fresh Node 22, rotating a client's secret three times while a consumer keeps calling:
 * - Secrets Manager is moto_server (its own, on a free loopback port); the Cognito client-secret
 *   API (Add/List/DeleteUserPoolClientSecret) and the token endpoint are the offline environment
 *   (local/), whose API the consumer calls; the function reaches both through the SDK's
 *   per-service endpoint variables (AWS_ENDPOINT_URL_SECRETS_MANAGER / _COGNITO_IDENTITY_PROVIDER).
 * - The harness plays Secrets Manager's rotation service: moto's RotateSecret does the
 *   bookkeeping (rotation on, a new version labelled AWSPENDING without a value; moto cannot run a
 *   Lambda without Docker, so its own invocations go to a stub), then the harness invokes
 *   createSecret → setSecret → testSecret → finishSecret on the bundle, each step twice (a retried
 *   step must change nothing).
 * Between rotations the app client's allowed scopes change (UpdateUserPoolClient, as an apply
 * does): each new version carries the scopes Cognito lists at that rotation.
 * Test-world values: TOKEN_ENDPOINT (the offline one), GRACE_PERIOD_SECONDS 0 (so three rotations
 * fit in seconds; the stack's is a day), the pool id.
 */
import { CognitoIdentityProviderClient, UpdateUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient, UpdateSecretVersionStageCommand } from "@aws-sdk/client-secrets-manager";
import * as fs from "node:fs";
import * as path from "node:path";
import { sharedSecretReader } from "../../client/client-secret-store";
import { createTokenClient } from "../../client/token-client";
import { deterministicZip } from "../../verify/deterministic-zip";
import { startMotoServer, type MotoServer } from "../../verify/moto-server";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { LOCAL_AWS_CREDENTIALS, type LocalEnvironment } from "../../local/local-environment";
import { clientOf, startEnv } from "../local/local-test-kit";
import { startConsumer } from "../support/continuous-consumer";
import { tempDir } from "../support/synth";
import { lambdaArtifacts, resolvedEnvironment } from "./lambda-artifacts";
import { LambdaProcess } from "./lambda-process";
import { placeholderWorld } from "./runtime-world";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
jest.setTimeout(180_000);

const REGION = "eu-west-1";
const CLIENT = "reader";
const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
const root = tempDir("runtime-rotation");
let env: LocalEnvironment;
let moto: MotoServer;

beforeAll(async () => {
  env = await startEnv({ accessTokenLifetimeSeconds: 2 });
  moto = await startMotoServer();
  // moto would run a rotation Lambda in Docker: its own invocations go to its stub instead.
  const configured = await fetch(`${moto.endpoint}/moto-api/config`, { method: "POST", body: JSON.stringify({ lambda: { use_docker: false } }) });
  expect(configured.ok).toBe(true);
});
afterAll(async () => {
  await env?.close();
  await moto?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The function in moto's Lambda (the project has no IAM or Lambda SDK client: their REST/query APIs, as the SDK would call them). */
async function createStubFunction(name: string, handler: string, zip: Buffer): Promise<{ FunctionArn: string }> {
  const signed = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=runtime-tier/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0` });
  const role = await fetch(moto.endpoint, {
    method: "POST",
    headers: { ...signed("iam"), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ Action: "CreateRole", Version: "2010-05-08", RoleName: "rotation", AssumeRolePolicyDocument: "{}" }).toString(),
  });
  const roleArn = /<Arn>([^<]+)<\/Arn>/.exec(await role.text())?.[1];
  const created = await fetch(`${moto.endpoint}/2015-03-31/functions`, {
    method: "POST",
    headers: { ...signed("lambda"), "content-type": "application/json" },
    body: JSON.stringify({ FunctionName: name, Role: roleArn, Runtime: "nodejs22.x", Handler: handler, Code: { ZipFile: zip.toString("base64") } }),
  });
  const body = (await created.json()) as { FunctionArn?: string };
  if (!created.ok || !body.FunctionArn) throw new Error(`moto CreateFunction: HTTP ${created.status}`);
  return { FunctionArn: body.FunctionArn };
}

test("three rotations by the deployed bundle, each step retried, scopes changed between them: zero failed consumer calls", async () => {
  const [prod] = synthesizeStacks("default", VERIFIED_CONFIGS.default().config, path.join(root, "default")).filter((s) => s.environment === "prod");
  const world = (ref: string) => (/^aws_cognito_user_pool\.[a-z0-9_]+\.id$/.test(ref) ? env.userPoolId : placeholderWorld(ref));
  const artifact = lambdaArtifacts(prod!.dir, world).find((a) => a.functionName.endsWith("-secret-rotation"))!;
  expect(artifact).toBeDefined();
  const aws = { region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: "runtime-tier", secretAccessKey: "runtime-tier" } };

  // What Terraform creates: the rotation function (in moto, as a stub) and the secret's first value.
  const fn = await createStubFunction(artifact.functionName, artifact.handler, deterministicZip(artifact.files));
  const client = clientOf(env, CLIENT);
  const sm = new SecretsManagerClient({ ...aws, maxAttempts: 1 });
  const scopes = env.credentials.clients.find((c) => c.name === CLIENT)!.scopes;
  const created = await sm.send(
    new CreateSecretCommand({ Name: `m2m/${CLIENT}`, SecretString: JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret, tokenEndpoint: env.tokenEndpoint, scopes }) }),
  );
  const arn = created.ARN!;

  const { process: rotation, loaded } = await LambdaProcess.start(artifact, {
    variables: { ...resolvedEnvironment(artifact, world), TOKEN_ENDPOINT: env.tokenEndpoint, GRACE_PERIOD_SECONDS: "0" },
    extra: { AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: env.awsEndpoint },
  });
  expect(loaded).toEqual({ node: expect.stringMatching(/^22\./), how: "import .mjs" });

  // The consumer: its secret from moto, tokens from the offline pool, calls to the offline API.
  const secret = sharedSecretReader(arn, aws);
  const initial = await secret.read();
  const tokens = createTokenClient({ tokenEndpoint: initial.tokenEndpoint, clientId: initial.clientId, clientSecret: initial.clientSecret, reloadCredentials: secret.read });
  const consumer = startConsumer(tokens, `${env.apiUrl}/premium`);
  const pause = () => new Promise((r) => setTimeout(r, 2200)); // longer than a token's life
  const stepErrors: string[] = [];
  // What each rotation must write: the app client's scopes as they are then (an apply adds the
  // reader's write scope before the second rotation, and takes it away before the third).
  const cognito = new CognitoIdentityProviderClient({ endpoint: env.awsEndpoint, region: REGION, credentials: LOCAL_AWS_CREDENTIALS, maxAttempts: 1 });
  const write = scopes[0]!.replace(/\/read$/, "/write");
  const scopesAt = [[...scopes], [...scopes, write], [...scopes]];
  const written: string[][] = [];
  let consumed: Awaited<ReturnType<typeof consumer.stop>> = { calls: 0, failures: ["the consumer was not stopped"] };
  try {
    for (let i = 0; i < 3; i++) {
      await pause();
      await cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: env.userPoolId, ClientId: client.clientId, AllowedOAuthScopes: scopesAt[i] }));
      const started = await sm.send(new RotateSecretCommand({ SecretId: arn, RotationLambdaARN: fn.FunctionArn, RotationRules: { AutomaticallyAfterDays: 30 } }));
      for (const Step of STEPS) {
        for (const attempt of [1, 2]) {
          const answer = await rotation.invoke({ Step, SecretId: arn, ClientRequestToken: started.VersionId });
          if (!answer.ok) stepErrors.push(`rotation ${i + 1} ${Step} (attempt ${attempt}): ${answer.errorType}: ${answer.errorMessage}`);
        }
      }
      const stages = (await sm.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages!;
      expect(stages[started.VersionId!]).toContain("AWSCURRENT");
      written.push((JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString!) as { scopes: string[] }).scopes);
      // The service, not the function, takes AWSPENDING off a finished rotation (moto refuses the
      // next RotateSecret while it sits beside AWSCURRENT).
      await sm.send(new UpdateSecretVersionStageCommand({ SecretId: arn, VersionStage: "AWSPENDING", RemoveFromVersionId: started.VersionId }));
    }
    await pause();
  } finally {
    consumed = await consumer.stop();
    await rotation.stop();
    cognito.destroy();
  }
  const { calls, failures } = consumed;
  console.log(`runtime rotation: ${calls} consumer calls, 3 rotations, ${failures.length} failed calls, ${secret.reads - 1} secret re-reads`);
  expect(stepErrors).toEqual([]);
  expect(failures).toEqual([]);
  expect(written).toEqual(scopesAt);
  expect(scopesAt[1]).toHaveLength(2);
  expect(calls).toBeGreaterThan(50);
  // The new secret obtains a token; the one the consumer started with is gone from Cognito.
  const latest = await secret.read();
  expect(latest.clientSecret).not.toBe(initial.clientSecret);
  const fresh = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: latest.clientId, clientSecret: latest.clientSecret });
  await expect(fresh.getToken()).resolves.toEqual(expect.any(String));
  expect(rotation.logs).not.toContain(latest.clientSecret);
});
