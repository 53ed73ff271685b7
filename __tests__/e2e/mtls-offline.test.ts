/**
 * Offline over real TLS (issue 24): `m2m dev --tls` as the environment serves it — HTTPS on
 * 127.0.0.1 with a local CA, mutual TLS on the API where the environment has `mtls`, the client
 * certificate handed to the real scope checker as API Gateway does — and `m2m call` as a user
 * runs it (a child process of bin/m2m.js) with `--cert/--key`. A client bound to a certificate
 * gets through with its certificate and is refused (403, the reason printed) with another
 * client's certificate or none. The partner CA and every certificate are made in the test.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLocalCa } from "../../local/local-ca";
import { readCredentialsFile } from "../../local/credentials-file";
import { startLocalEnvironment, type LocalEnvironment } from "../../local/local-environment";
import { validateConfig } from "../../model/validate";
import { runNode, startDev, type ChildRun } from "../support/node-child";

const ROOT = resolve(__dirname, "../..");
const BIN = join(ROOT, "bin", "m2m.js");

/** `m2m <args>` as a user runs it, without the host's M2M_* and AWS_* settings. */
function runCli(args: string[]): Promise<ChildRun> {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("M2M_") || key.startsWith("AWS_")) delete env[key];
  return runNode([BIN, ...args], env);
}

let dir: string;
let env: LocalEnvironment;
let localFile: string;
const files: Record<string, { cert: string; key: string }> = {};
const partnerCa = createLocalCa("Partner CA");
const strangerCa = createLocalCa("Not in the truststore");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m2m-mtls-"));
  mkdirSync(join(dir, "certs"));
  writeFileSync(join(dir, "certs", "partner-ca.pem"), partnerCa.certPem);
  const issue = (name: string, ca: typeof partnerCa, subject: Record<string, string>) => {
    const issued = ca.issue({ subject, usage: "client" });
    files[name] = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
    writeFileSync(files[name]!.cert, issued.certPem);
    writeFileSync(files[name]!.key, issued.keyPem, { mode: 0o600 });
  };
  issue("bank", partnerCa, { CN: "bank.partner.example", O: "Bank" });
  issue("other", partnerCa, { CN: "other.partner.example", O: "Bank" });
  issue("stranger", strangerCa, { CN: "bank.partner.example", O: "Bank" });
  const model = validateConfig(
    {
      name: "edge",
      owners: ["@acme/platform"],
      apis: [
        {
          name: "payments",
          resourceServerName: "Payments",
          owners: ["@acme/payments"],
          scopes: [{ name: "write", description: "Pay" }, { name: "read", description: "Read" }],
          routes: [
            { method: "POST", path: "/payments", scopes: ["write"], authorizer: "scope-checker", requireBoundCertificate: true, response: { status: 201, body: { accepted: true } } },
            { method: "GET", path: "/payments", scopes: ["read"], authorizer: "scope-checker", response: { status: 200, body: { items: [] } } },
          ],
        },
      ],
      clients: [
        { name: "bank", scopes: ["payments:write", "payments:read"], certificate: { subject: "CN=bank.partner.example,O=Bank" } },
        { name: "reader", scopes: ["payments:write", "payments:read"] },
      ],
      environments: [{ name: "dev", region: "eu-west-1", domainPrefix: "edge-dev", stageName: "dev", customDomain: { apiDomainName: "api.example.com" }, mtls: { truststoreFiles: ["certs/partner-ca.pem"] } }],
    },
    { projectRoot: dir },
  );
  localFile = join(dir, "local.json");
  env = await startLocalEnvironment({ model, environment: "dev", credentialsFile: localFile, tls: { ca: createLocalCa(), filesDir: join(dir, "tls") } });
});
afterAll(async () => {
  await env?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (client: string, method: string, extra: string[] = []) => runCli(["call", method, "/payments", "--local", "--local-file", localFile, "--client", client, ...extra]);
const withCert = (name: string) => ["--cert", files[name]!.cert, "--key", files[name]!.key];

describe("m2m dev --tls with mutual TLS", () => {
  it("serves HTTPS, writes the CA and the bound client's certificate, and lists them in the credentials file", () => {
    expect(env.tokenEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/oauth2\/token$/);
    expect(env.apis[0]!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dev$/);
    const credentials = readCredentialsFile(localFile);
    expect(readFileSync(credentials.caFile!, "utf8")).toBe(env.caCertPem);
    const bank = credentials.clients.find((c) => c.name === "bank")!;
    expect(statSync(bank.keyFile!).mode & 0o777).toBe(0o600);
    expect(credentials.clients.find((c) => c.name === "reader")!.certFile).toBeUndefined();
  });

  it("lets the bound client through with its own certificate", async () => {
    const result = await call("bank", "POST", withCert("bank"));
    expect(result.stdout).toBe('HTTP 201\n{\n  "accepted": true\n}\n');
    expect(result.code).toBe(0);
  });

  it("lets it through with the certificate the offline CA made for its subject (no --cert needed)", async () => {
    const result = await call("bank", "POST");
    expect(result.stdout.split("\n")[0]).toBe("HTTP 201");
  });

  it("refuses it with another client's certificate: 403, the reason printed", async () => {
    const result = await call("bank", "POST", withCert("other"));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("HTTP 403");
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf("{")))).toEqual({ message: "User is not authorized to access this resource with an explicit deny", reason: "certificate-mismatch" });
    // A bound client on the wrong connection may call nothing, not even routes that need no binding.
    expect((await call("bank", "GET", withCert("other"))).stdout).toContain('"reason": "certificate-mismatch"');
  });

  it("refuses a call with no certificate, and with one from a CA outside the truststore, at the gateway", async () => {
    // reader has no certificate file from the offline CA: without --cert it presents none.
    for (const result of [await call("reader", "GET"), await call("bank", "POST", withCert("stranger"))]) {
      expect(result.stdout).toContain("HTTP 403");
      expect(result.stdout).toContain('"reason": "client-certificate-required"');
      expect(result.code).toBe(1);
    }
  });

  it("refuses a client bound to no certificate on a route that requires one, whatever it shows", async () => {
    const result = await call("reader", "POST", withCert("bank"));
    expect(result.stdout).toContain("HTTP 403");
    expect(result.stdout).toContain('"reason": "client-not-bound"');
    // Its other routes are open to it over mutual TLS.
    expect((await call("reader", "GET", withCert("bank"))).stdout.split("\n")[0]).toBe("HTTP 200");
  });

  it("says --cert needs --key, in one line", async () => {
    const result = await call("bank", "POST", ["--cert", files.bank!.cert]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("--cert and --key go together");
  });
});

describe("npm run dev -- --tls on the partner-edge example", () => {
  it("starts over HTTPS, and the bound partner's call goes through with the certificate made for it", async () => {
    const local = join(dir, "edge", "local.json");
    const dev = await startDev(["--tls", "--config", "examples/partner-edge/m2m.config.ts", "--env", "dev", "--local-file", local]);
    try {
      expect(dev.ready).toMatch(/ready with content at https:\/\/127\.0\.0\.1:\d+\/dev, payments at https:\/\/127\.0\.0\.1:\d+\/dev .*over TLS, the local CA in .*tls\/ca\.pem/);
      const bank = await runCli(["call", "POST", "/payments", "--local", "--local-file", local, "--client", "acme-bank"]);
      expect(bank.stdout.split("\n")[0]).toBe("HTTP 201");
      const reader = await runCli(["call", "POST", "/payments", "--local", "--local-file", local, "--client", "reader"]);
      expect(reader.stdout).toContain('"reason": "client-certificate-required"');
    } finally {
      await dev.stop();
    }
  });
});

describe("npm run dev -- --tls on the default config (TLS, no mutual TLS)", () => {
  it("m2m smoke --local trusts the local CA its credentials file names: every check passes over HTTPS", async () => {
    const local = join(dir, "default-tls", "local.json");
    const dev = await startDev(["--tls", "--local-file", local]);
    try {
      expect(readCredentialsFile(local).tokenEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
      const smoke = await runCli(["smoke", "--local", "--local-file", local]);
      expect(smoke.stderr).toBe("");
      expect(smoke.stdout.trimEnd().split("\n").pop()).toMatch(/^\d+ checks, (\d+) passed, 0 failed$/);
      expect(smoke.code).toBe(0);
    } finally {
      await dev.stop();
    }
  });
});
