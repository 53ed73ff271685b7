/** `.m2m/local.json`: private, complete, and gone when the environment stops. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalCredentialsFileError, readCredentialsFile } from "../../local/credentials-file";
import { scopeIdentifier } from "../../model/aws-urls";
import { defaultModel, startEnv } from "./local-test-kit";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "m2m-local-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the credentials file", () => {
  it("is written with mode 0600 (directory created) and describes every client with full scope identifiers", async () => {
    const file = join(dir, ".m2m", "local.json");
    const env = await startEnv({ credentialsFile: file });
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = JSON.parse(readFileSync(file, "utf8"));
      expect(written).toEqual(env.credentials);
      expect(written).toMatchObject({
        environment: "dev", tokenEndpoint: `${env.url}/oauth2/token`, apiUrl: `${env.url}/dev`, userPoolId: env.userPoolId,
        // The one-API form: its stage on the token endpoint's origin, as it always was.
        apis: [{ name: "m2m-demo-api", url: `${env.url}/dev`, routes: ["GET /hello-world", "GET /premium", "POST /premium", "POST /payments"] }],
      });
      const devClients = defaultModel.environments.find((e) => e.name === "dev")!.clients;
      expect(written.clients.map((c: { name: string }) => c.name)).toEqual(devClients.map((c) => c.name));
      for (const client of written.clients) {
        expect(client.clientId).toMatch(/^[a-z0-9]{26}$/);
        expect(client.clientSecret).toMatch(/^[a-z0-9]{50}$/);
        const model = devClients.find((c) => c.name === client.name)!;
        expect(client.scopes).toEqual(model.scopes.map((g) => scopeIdentifier(env.apiUrl, g.scope)));
      }
      expect(new Set(written.clients.map((c: { clientSecret: string }) => c.clientSecret)).size).toBe(written.clients.length);
    } finally {
      await env.close();
    }
    expect(existsSync(file)).toBe(false);
  });

  it("is left alone on close when another environment has replaced it", async () => {
    const file = join(dir, "local.json");
    const first = await startEnv({ credentialsFile: file });
    const second = await startEnv({ credentialsFile: file });
    await first.close();
    expect(readCredentialsFile(file).userPoolId).toBe(second.userPoolId);
    await second.close();
    expect(existsSync(file)).toBe(false);
  });

  it("is reported missing or malformed with a message that says what to do", () => {
    const file = join(dir, "local.json");
    expect(() => readCredentialsFile(file)).toThrow(new LocalCredentialsFileError(file, "missing"));
    expect(() => readCredentialsFile(file)).toThrow(/start the offline environment first \(npm run dev\)/);
    writeFileSync(file, "{not json");
    expect(() => readCredentialsFile(file)).toThrow(`${file} is malformed`);
    writeFileSync(file, JSON.stringify({ tokenEndpoint: "x" }));
    expect(() => readCredentialsFile(file)).toThrow(`${file} is malformed`);
  });
});
