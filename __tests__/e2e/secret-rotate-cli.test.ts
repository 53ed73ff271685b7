/**
 * `m2m secret rotate` in-process: against a running offline environment (its credentials file
 * is rewritten, the old secret keeps working until the next rotation), and its usage errors.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../client/cli";
import { readCredentialsFile } from "../../local/credentials-file";
import type { LocalEnvironment } from "../../local/local-environment";
import { basic, FORM, postToken, startEnv } from "../local/local-test-kit";

let dir: string;
let env: LocalEnvironment;
let localFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m2m-rotate-"));
  localFile = join(dir, "local.json");
  env = await startEnv({ credentialsFile: localFile });
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

const status = async (id: string, secret: string) =>
  (await postToken(env, { headers: { authorization: basic(id, secret), "content-type": FORM }, body: "grant_type=client_credentials" })).status;

test("secret rotate --local rotates the client's secret and rewrites the credentials file", async () => {
  const before = readCredentialsFile(localFile).clients.find((c) => c.name === "writer")!;
  const result = await run(["secret", "rotate", "--local", "--client", "writer", "--local-file", localFile]);
  expect(result).toMatchObject({ code: 0, stderr: "" });
  expect(result.stdout).toMatch(/rotated writer/);
  const after = readCredentialsFile(localFile).clients.find((c) => c.name === "writer")!;
  expect(after.clientId).toBe(before.clientId);
  expect(after.clientSecret).not.toBe(before.clientSecret);
  expect(result.stdout).not.toContain(after.clientSecret);
  expect(await status(after.clientId, after.clientSecret)).toBe(200);
  expect(await status(before.clientId, before.clientSecret)).toBe(200);
  // m2m token --local picks up the new secret from the file.
  const token = await run(["token", "--local", "--client", "writer", "--local-file", localFile]);
  expect(token.code).toBe(0);
});

test("offline there is no grace period, and the command says so: a second rotation at once deletes the first secret", async () => {
  const first = readCredentialsFile(localFile).clients.find((c) => c.name === "reader")!;
  const once = await run(["secret", "rotate", "--local", "--client", "reader", "--local-file", localFile]);
  expect(once.stdout).toMatch(/offline deletes it at once \(no grace period; deployed, the next rotation fails unless the current secret is gracePeriodHours old\)\n$/);
  const twice = await run(["secret", "rotate", "--local", "--client", "reader", "--local-file", localFile]);
  expect(twice.code).toBe(0);
  const now = readCredentialsFile(localFile).clients.find((c) => c.name === "reader")!;
  expect(await status(first.clientId, first.clientSecret)).toBe(400); // invalid_client: deleted by the second rotation
  expect(await status(now.clientId, now.clientSecret)).toBe(200);
});

test.each([
  [["secret"], /unknown secret command \(none\)/],
  [["secret", "spin"], /unknown secret command "spin"/],
  [["secret", "rotate", "--local"], /needs --client NAME/],
  [["secret", "rotate", "--client", "writer"], /exactly one target/],
  [["secret", "rotate", "--local", "--env", "dev", "--client", "writer"], /exactly one target/],
])("m2m %j is a one-line usage error", async (args, message) => {
  const result = await run(args as string[]);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
});

test("secret rotate --env without AWS credentials: where the SDK looked, and how to give it some (exit 1)", async () => {
  const home = mkdtempSync(join(tmpdir(), "m2m-no-aws-"));
  const saved = { ...process.env };
  // The SDK reads process.env itself: no keys, no profile files, no instance metadata.
  for (const key of Object.keys(process.env)) if (key.startsWith("AWS_")) delete process.env[key];
  Object.assign(process.env, { HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" });
  try {
    const result = await run(["secret", "rotate", "--env", "dev", "--client", "reader"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "m2m: could not rotate secret m2m-demo/dev/reader: no AWS credentials (checked AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE, ~/.aws/credentials and ~/.aws/config (profile default), and instance metadata): export AWS_PROFILE=<profile> after aws configure or aws sso login, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the offline environment's secrets rotate with --local instead)\n",
    );
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
  }
});

test("an unknown client is named, with the ones there are", async () => {
  const local = await run(["secret", "rotate", "--local", "--client", "nobody", "--local-file", localFile]);
  expect(local.stderr).toMatch(/no client "nobody" with a secret in .*\(it has: 3rd-party, reader, writer/);
  const deployed = await run(["secret", "rotate", "--env", "dev", "--client", "nobody"]);
  expect(deployed.stderr).toMatch(/no client "nobody" in environment "dev"/);
});
