/**
 * The rotation function's four steps against the offline environment's Cognito and Secrets
 * Manager APIs over real HTTP on 127.0.0.1 (the SDK clients pointed at them with `endpoint`),
 * and its real token endpoint: no SDK mocks. Faults are injected into the stand-in, so retries
 * and partial failures go through the same code paths as in AWS.
 */
import { randomUUID } from "node:crypto";
import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  DeleteUserPoolClientSecretCommand,
  ListUserPoolClientSecretsCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetSecretValueCommand, PutSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GracePeriodError, PendingSecretRejectedError } from "../../lambdas/secret-rotation/errors";
import { createRotationHandler, contextFromEnvironment } from "../../lambdas/secret-rotation/handler";
import type { RotationContext } from "../../lambdas/secret-rotation/rotation-steps";
import { LOCAL_AWS_CREDENTIALS, type LocalEnvironment } from "../../local/local-environment";
import { basic, FORM, postToken, startEnv } from "../local/local-test-kit";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const CLIENT = "reader";
let env: LocalEnvironment;
let cognito: CognitoIdentityProviderClient;
let secretsManager: SecretsManagerClient;
let clockOffsetMs = 0;
const logLines: Record<string, unknown>[] = [];

function context(graceSeconds: number): RotationContext {
  return contextFromEnvironment(
    { USER_POOL_ID: env.userPoolId, TOKEN_ENDPOINT: env.tokenEndpoint, GRACE_PERIOD_SECONDS: String(graceSeconds) },
    { cognito, secretsManager, now: () => Date.now() + clockOffsetMs, sleep: async () => undefined, log: (e) => logLines.push(e) },
  );
}

async function step(graceSeconds: number, Step: string, token: string, arn = env.secretArns.get(CLIENT)!): Promise<void> {
  await createRotationHandler(context(graceSeconds))({ Step, SecretId: arn, ClientRequestToken: token });
}

/** What Secrets Manager does before the first step: a version under the token, labelled AWSPENDING. */
function begin(token = randomUUID()): string {
  env.secretsManager.beginRotation(env.secretArns.get(CLIENT)!, token);
  return token;
}

async function rotate(graceSeconds: number, token = begin()): Promise<string> {
  for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"]) await step(graceSeconds, s, token);
  return token;
}

async function stored(stage: "AWSCURRENT" | "AWSPENDING" | "AWSPREVIOUS"): Promise<{ clientId: string; clientSecret: string; clientSecretId?: string; tokenEndpoint: string; scopes: string[] }> {
  const got = await secretsManager.send(new GetSecretValueCommand({ SecretId: env.secretArns.get(CLIENT)!, VersionStage: stage }));
  return JSON.parse(got.SecretString!);
}

async function tokenStatus(clientId: string, clientSecret: string): Promise<number> {
  return (await postToken(env, { headers: { authorization: basic(clientId, clientSecret), "content-type": FORM }, body: "grant_type=client_credentials" })).status;
}

async function cognitoSecretIds(clientId: string): Promise<string[]> {
  const listed = await cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: env.userPoolId, ClientId: clientId }));
  return (listed.ClientSecrets ?? []).map((s) => s.ClientSecretId!);
}

const calls = (target: string) => env.aws.calls.get(target) ?? 0;

beforeEach(async () => {
  env = await startEnv();
  const sdk = { endpoint: env.awsEndpoint, region: "eu-west-1", credentials: LOCAL_AWS_CREDENTIALS, maxAttempts: 1 };
  cognito = new CognitoIdentityProviderClient(sdk);
  secretsManager = new SecretsManagerClient(sdk);
  clockOffsetMs = 0;
  logLines.length = 0;
});
afterEach(async () => {
  cognito.destroy();
  secretsManager.destroy();
  await env.close();
});

describe("a rotation", () => {
  test("stages a new Cognito secret as pending, proves it, promotes it, and keeps the previous one valid", async () => {
    const original = await stored("AWSCURRENT");
    const token = begin();
    await step(86400, "createSecret", token);
    const pending = await stored("AWSPENDING");
    expect(pending.clientId).toBe(original.clientId);
    expect(pending.clientSecret).not.toBe(original.clientSecret);
    expect(pending.clientSecretId).toMatch(new RegExp(`^${original.clientId}--\\d+$`));
    expect(await cognitoSecretIds(original.clientId)).toHaveLength(2);
    // Before finishSecret, the current value still works, and so does the pending one.
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    expect(await tokenStatus(pending.clientId, pending.clientSecret)).toBe(200);

    await step(86400, "setSecret", token);
    await step(86400, "testSecret", token);
    await step(86400, "finishSecret", token);
    expect((await stored("AWSCURRENT")).clientSecret).toBe(pending.clientSecret);
    expect((await stored("AWSPREVIOUS")).clientSecret).toBe(original.clientSecret);
    // A caller still holding the previous value keeps working until the next rotation.
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    expect(await cognitoSecretIds(original.clientId)).toHaveLength(2);
  });

  test("the next rotation within the grace period refuses to delete the previous secret and changes nothing", async () => {
    const original = await stored("AWSCURRENT");
    await rotate(3600);
    const first = await stored("AWSCURRENT");
    const before = await cognitoSecretIds(original.clientId);
    await expect(step(3600, "createSecret", begin())).rejects.toBeInstanceOf(GracePeriodError);
    expect(await cognitoSecretIds(original.clientId)).toEqual(before);
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    expect(await tokenStatus(first.clientId, first.clientSecret)).toBe(200);
    expect(calls("AWSCognitoIdentityProviderService.DeleteUserPoolClientSecret")).toBe(0);
  });

  test("the next rotation after the grace period deletes the oldest secret only", async () => {
    const original = await stored("AWSCURRENT");
    await rotate(3600);
    const first = await stored("AWSCURRENT");
    clockOffsetMs = 2 * 3600 * 1000;
    await rotate(3600);
    const second = await stored("AWSCURRENT");
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(400);
    expect(await tokenStatus(first.clientId, first.clientSecret)).toBe(200);
    expect(await tokenStatus(second.clientId, second.clientSecret)).toBe(200);
    expect((await cognitoSecretIds(original.clientId)).sort()).toEqual([first.clientSecretId, second.clientSecretId].sort());
  });

  test("three rotations in a row with no grace period keep exactly the two newest secrets", async () => {
    const values = [await stored("AWSCURRENT")];
    for (let i = 0; i < 3; i++) {
      await rotate(0);
      values.push(await stored("AWSCURRENT"));
    }
    const statuses = await Promise.all(values.map((v) => tokenStatus(v.clientId, v.clientSecret)));
    expect(statuses).toEqual([400, 400, 200, 200]);
  });
});

describe("a new version carries what the app client and the environment say now", () => {
  /** The reader's scope `read` and the same API's `write`, as full identifiers. */
  const scopesOf = (value: { scopes: string[] }) => ({ read: value.scopes[0]!, write: value.scopes[0]!.replace(/\/read$/, "/write") });
  const setScopes = (clientId: string, scopes: string[]) => cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: env.userPoolId, ClientId: clientId, AllowedOAuthScopes: scopes }));

  test("a scope added, then removed, on the app client and a moved token endpoint reach the next version, which testSecret proves", async () => {
    const original = await stored("AWSCURRENT");
    const { read, write } = scopesOf(original);
    expect(original.scopes).toEqual([read]);
    // What an apply does: the app client's scopes change (Terraform), and the value the stack
    // first wrote names the token endpoint of a domain prefix changed since.
    await setScopes(original.clientId, [read, write]);
    await secretsManager.send(new PutSecretValueCommand({ SecretId: env.secretArns.get(CLIENT)!, SecretString: JSON.stringify({ ...original, tokenEndpoint: "https://old-prefix.auth.eu-west-1.amazoncognito.com/oauth2/token" }) }));
    await rotate(0);
    const widened = await stored("AWSCURRENT");
    expect(widened.scopes).toEqual([read, write]);
    expect(widened.tokenEndpoint).toBe(env.tokenEndpoint);

    await setScopes(original.clientId, [write]);
    await rotate(0);
    const narrowed = await stored("AWSCURRENT");
    expect(narrowed.scopes).toEqual([write]);
    // The stored list is what a consumer may request: the token endpoint grants exactly it.
    const granted = await postToken(env, { headers: { authorization: basic(narrowed.clientId, narrowed.clientSecret), "content-type": FORM }, body: new URLSearchParams({ grant_type: "client_credentials", scope: narrowed.scopes.join(" ") }).toString() });
    expect(granted.status).toBe(200);
    expect(calls("AWSCognitoIdentityProviderService.DescribeUserPoolClient")).toBe(2);
  });

  test("a pending value with a scope the app client lost since fails testSecret and never becomes current", async () => {
    const original = await stored("AWSCURRENT");
    const { read, write } = scopesOf(original);
    await setScopes(original.clientId, [read, write]);
    const token = begin();
    await step(0, "createSecret", token);
    await setScopes(original.clientId, [read]);
    await expect(step(0, "testSecret", token)).rejects.toThrow(/invalid_scope/);
    expect((await stored("AWSCURRENT")).clientSecret).toBe(original.clientSecret);
  });

  test("UpdateUserPoolClient refuses a scope of no resource server, as Cognito does", async () => {
    const original = await stored("AWSCURRENT");
    await expect(setScopes(original.clientId, ["https://nowhere.example/read"])).rejects.toMatchObject({ name: "ScopeDoesNotExistException" });
  });
});

describe("every step is idempotent", () => {
  test("createSecret retried with the same token adds one Cognito secret and keeps one pending value", async () => {
    const token = begin();
    await step(0, "createSecret", token);
    const pending = await stored("AWSPENDING");
    await step(0, "createSecret", token);
    await step(0, "createSecret", token);
    expect(calls("AWSCognitoIdentityProviderService.AddUserPoolClientSecret")).toBe(1);
    expect((await stored("AWSPENDING")).clientSecret).toBe(pending.clientSecret);
  });

  test("testSecret and finishSecret retried after success change nothing", async () => {
    const token = await rotate(0);
    const current = await stored("AWSCURRENT");
    const previous = await stored("AWSPREVIOUS");
    await step(0, "testSecret", token);
    await step(0, "finishSecret", token);
    await step(0, "createSecret", token);
    expect(await stored("AWSCURRENT")).toEqual(current);
    expect(await stored("AWSPREVIOUS")).toEqual(previous);
    expect(calls("AWSCognitoIdentityProviderService.AddUserPoolClientSecret")).toBe(1);
  });

  test("a token that is not part of a rotation is refused", async () => {
    await expect(step(0, "createSecret", randomUUID())).rejects.toThrow(/has no staging label/);
    await expect(step(0, "finishSecret", "not-a-version")).rejects.toThrow(/has no staging label/);
    expect(calls("AWSCognitoIdentityProviderService.AddUserPoolClientSecret")).toBe(0);
  });
});

describe("a step that fails part way leaves the old and the new secret usable", () => {
  test("storing the pending value fails after Cognito added the secret: the retry deletes the orphan and starts again", async () => {
    const original = await stored("AWSCURRENT");
    const token = begin();
    env.aws.injectFault({ target: "secretsmanager.PutSecretValue" });
    await expect(step(0, "createSecret", token)).rejects.toThrow();
    expect(await cognitoSecretIds(original.clientId)).toHaveLength(2); // the original and an orphan
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);

    await step(0, "createSecret", token);
    const pending = await stored("AWSPENDING");
    expect(await cognitoSecretIds(original.clientId)).toHaveLength(2); // the orphan went, the new one came
    expect(await tokenStatus(pending.clientId, pending.clientSecret)).toBe(200);
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    expect(logLines.some((l) => l.why === "orphan of a failed rotation")).toBe(true);
  });

  test("Cognito's answer to AddUserPoolClientSecret is lost: the retry cleans up and completes", async () => {
    const original = await stored("AWSCURRENT");
    const token = begin();
    env.aws.injectFault({ target: "AWSCognitoIdentityProviderService.AddUserPoolClientSecret", afterEffect: true });
    await expect(step(0, "createSecret", token)).rejects.toThrow();
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    await rotate(0, token);
    const current = await stored("AWSCURRENT");
    expect((await cognitoSecretIds(original.clientId)).sort()).toEqual([`${original.clientId}--${(await cognitoSecretIds(original.clientId)).map((id) => id.split("--")[1]).sort()[0]}`, current.clientSecretId].sort());
    expect(await tokenStatus(current.clientId, current.clientSecret)).toBe(200);
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
  });

  test("a pending secret the token endpoint refuses fails testSecret and never becomes current", async () => {
    const original = await stored("AWSCURRENT");
    const token = begin();
    await step(0, "createSecret", token);
    const pending = await stored("AWSPENDING");
    // Someone deleted the new Cognito secret behind the rotation's back.
    await cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: env.userPoolId, ClientId: pending.clientId, ClientSecretId: pending.clientSecretId! }));
    await expect(step(0, "testSecret", token)).rejects.toBeInstanceOf(PendingSecretRejectedError);
    expect((await stored("AWSCURRENT")).clientSecret).toBe(original.clientSecret);
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    expect(JSON.stringify(logLines)).not.toContain(pending.clientSecret);
  });

  test("finishSecret's stage move succeeds but its answer is lost: the retry sees it done", async () => {
    const original = await stored("AWSCURRENT");
    const token = begin();
    for (const s of ["createSecret", "setSecret", "testSecret"]) await step(0, s, token);
    const pending = await stored("AWSPENDING");
    env.aws.injectFault({ target: "secretsmanager.UpdateSecretVersionStage", afterEffect: true });
    await expect(step(0, "finishSecret", token)).rejects.toThrow();
    await step(0, "finishSecret", token);
    expect((await stored("AWSCURRENT")).clientSecret).toBe(pending.clientSecret);
    expect(await tokenStatus(original.clientId, original.clientSecret)).toBe(200);
    expect(await tokenStatus(pending.clientId, pending.clientSecret)).toBe(200);
  });

  test("a pending value naming another token endpoint is refused before the secret is sent anywhere", async () => {
    const token = begin();
    await step(0, "createSecret", token);
    const pending = await stored("AWSPENDING");
    // Someone with PutSecretValue rewrites the pending version to point at their server (same token, so a new version is refused: use a fresh rotation).
    const other = begin();
    const arn = env.secretArns.get(CLIENT)!;
    await secretsManager.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: other, SecretString: JSON.stringify({ ...pending, tokenEndpoint: "https://attacker.example/oauth2/token" }), VersionStages: ["AWSPENDING"] }));
    const before = env.metrics.requests;
    await expect(step(0, "testSecret", other)).rejects.toThrow(/not this environment's/);
    expect(env.metrics.requests).toBe(before);
  });

  test("ListUserPoolClientSecrets throttled: createSecret fails before touching anything, the retry succeeds", async () => {
    const original = await stored("AWSCURRENT");
    const token = begin();
    env.aws.injectFault({ target: "AWSCognitoIdentityProviderService.ListUserPoolClientSecrets", type: "TooManyRequestsException", status: 400 });
    await expect(step(0, "createSecret", token)).rejects.toThrow(/injected fault/);
    expect(await cognitoSecretIds(original.clientId)).toHaveLength(1);
    await rotate(0, token);
    expect((await stored("AWSCURRENT")).clientSecretId).toBeDefined();
  });
});

describe("the offline Cognito and Secrets Manager answer like AWS", () => {
  test("a third secret is LimitExceededException, deleting the last one is InvalidParameterException", async () => {
    const { clientId } = await stored("AWSCURRENT");
    await cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: env.userPoolId, ClientId: clientId }));
    await expect(cognito.send(new AddUserPoolClientSecretCommand({ UserPoolId: env.userPoolId, ClientId: clientId }))).rejects.toMatchObject({ name: "LimitExceededException" });
    const [first, second] = await cognitoSecretIds(clientId);
    await cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: env.userPoolId, ClientId: clientId, ClientSecretId: first! }));
    await expect(cognito.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: env.userPoolId, ClientId: clientId, ClientSecretId: second! }))).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(cognito.send(new ListUserPoolClientSecretsCommand({ UserPoolId: "eu-west-1_nope", ClientId: clientId }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  test("PutSecretValue with a used token and another value is ResourceExistsException", async () => {
    const arn = env.secretArns.get(CLIENT)!;
    const token = begin();
    await secretsManager.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: "{}", VersionStages: ["AWSPENDING"] }));
    await secretsManager.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: "{}", VersionStages: ["AWSPENDING"] }));
    await expect(secretsManager.send(new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, SecretString: "{\"x\":1}", VersionStages: ["AWSPENDING"] }))).rejects.toMatchObject({ name: "ResourceExistsException" });
  });

  test("RotateSecret runs the four steps and rewrites what the environment hands out", async () => {
    const before = env.credentials.clients.find((c) => c.name === CLIENT)!;
    await secretsManager.send(new RotateSecretCommand({ SecretId: env.secretArns.get(CLIENT)! }));
    const after = env.credentials.clients.find((c) => c.name === CLIENT)!;
    expect(after.clientSecret).not.toBe(before.clientSecret);
    expect(await tokenStatus(after.clientId, after.clientSecret)).toBe(200);
    expect(await tokenStatus(before.clientId, before.clientSecret)).toBe(200);
  });
});
