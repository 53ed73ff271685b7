/**
 * The partner edge in the config (issue 24): custom domains, mutual TLS truststores read and
 * parsed at validation, certificate-bound clients and routes that require them. Every mistake is
 * reported at once with its field path, rule and value; a good config resolves into the model.
 * CA files are made in the test (a real CA, node-forge) in a temporary project root.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { X509Certificate } from "node:crypto";
import { createLocalCa } from "../../local/local-ca";
import { checkBinding, normalizeFingerprint, normalizeSubject } from "../../model/certificate-binding";
import { ConfigValidationError, formatProblem } from "../../model/problems";
import { validateConfig } from "../../model/validate";

type Mutable = Record<string, any>;

let root: string;
const ca = createLocalCa("Test Partner CA");
const leaf = ca.issue({ subject: { CN: "shop.partner.example", O: "Partner Ltd" }, usage: "client" });

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-edge-"));
  fs.mkdirSync(path.join(root, "certs"));
  // CRLF line endings and a comment around the certificate: the truststore is re-encoded anyway.
  fs.writeFileSync(path.join(root, "certs/ca.pem"), `# partner CA\r\n${ca.certPem.replace(/\n/g, "\r\n")}`);
  fs.writeFileSync(path.join(root, "certs/leaf.pem"), leaf.certPem);
  fs.writeFileSync(path.join(root, "certs/broken.pem"), "-----BEGIN CERTIFICATE-----\nTUlJQm9vZ3Vz\n-----END CERTIFICATE-----\n");
  fs.writeFileSync(path.join(root, "certs/empty.pem"), "not a certificate\n");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function edgeConfig(): Mutable {
  return {
    name: "edge",
    owners: ["@acme/platform"],
    apis: [
      {
        name: "payments",
        resourceServerName: "Payments API",
        owners: ["@acme/payments"],
        scopes: [{ name: "write", description: "Pay" }],
        routes: [
          { method: "POST", path: "/payments", scopes: ["write"], authorizer: "scope-checker", requireBoundCertificate: true },
          { method: "GET", path: "/payments", scopes: ["write"] },
        ],
      },
    ],
    clients: [{ name: "shop", scopes: ["payments:write"], certificate: { subject: "O=Partner Ltd, CN=shop.partner.example", sha256: new X509Certificate(leaf.certPem).fingerprint256.replace(/:/g, "").toLowerCase() } }],
    environments: [
      { name: "dev", region: "eu-west-1", domainPrefix: "edge-dev", stageName: "dev", customDomain: { apiDomainName: "api.example.com", tokenDomainName: "auth.example.com" }, mtls: { truststoreFiles: ["certs/ca.pem"] } },
    ],
  };
}

function problems(mutate: (c: Mutable) => void): string[] {
  const config = edgeConfig();
  mutate(config);
  try {
    validateConfig(config, { projectRoot: root });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

describe("edge config validation", () => {
  it("resolves domains, the truststore and normalized bindings into the model", () => {
    const model = validateConfig(edgeConfig(), { projectRoot: root });
    const env = model.environments[0]!;
    expect(env.customDomain).toEqual({ apiDomainName: "api.example.com", tokenDomainName: "auth.example.com", scopeIdentifiers: "custom-domain" });
    expect(env.mtls!.truststoreFiles).toEqual(["certs/ca.pem"]);
    // Re-encoded by node:crypto: the CRLF and the comment are gone, the certificate is the same.
    expect(env.mtls!.truststorePem).toBe(`${new X509Certificate(ca.certPem).toString().trim()}\n`);
    expect(new X509Certificate(env.mtls!.truststorePem).fingerprint256).toBe(new X509Certificate(ca.certPem).fingerprint256);
    expect(env.clients[0]!.certificate).toEqual({ subject: "CN=shop.partner.example,O=Partner Ltd", sha256: new X509Certificate(leaf.certPem).fingerprint256 });
    expect(model.apis[0]!.routes.map((r) => r.requireBoundCertificate)).toEqual([true, false]);
  });

  it("reports every edge mistake at once, each with its path, rule and value", () => {
    const found = problems((c) => {
      c.environments.push({ name: "nomtls", region: "eu-west-1", domainPrefix: "edge-nomtls", stageName: "dev" });
      c.environments.push({ name: "nodomain", region: "eu-west-1", domainPrefix: "edge-nodomain", stageName: "dev", mtls: { truststoreFiles: ["certs/broken.pem", "certs/leaf.pem", "certs/empty.pem", "certs/missing.pem", "../outside.pem"] } });
      c.environments[0].customDomain.tokenDomainName = "api.example.com";
      c.apis[0].routes[1].requireBoundCertificate = true;
      c.clients.push({ name: "other", scopes: ["payments:write"], environments: ["dev", "nomtls"], overrides: { nomtls: { certificate: { sha256: "AB".repeat(32) } } } });
      c.clients.push({ name: "bad", scopes: ["payments:write"], certificate: { sha256: "xyz" } });
      c.clients.push({ name: "empty", scopes: ["payments:write"], certificate: {} });
    });
    expect(found).toEqual(expect.arrayContaining([
      'environments[0].customDomain.tokenDomainName: must differ from apiDomainName (the token endpoint is a Cognito domain, the APIs an API Gateway domain) (got "api.example.com")',
      expect.stringMatching(/^environments\[2\]\.mtls: needs customDomain: API Gateway offers mutual TLS on custom domains only \(got \{"truststoreFiles":\["certs\/broken.pem",/),
      expect.stringMatching(/^environments\[2\]\.mtls\.truststoreFiles\[0\]: certificate 1 does not parse as X\.509 \(.+\) \(got "certs\/broken\.pem"\)$/),
      'environments[2].mtls.truststoreFiles[1]: certificate 1 (CN=shop.partner.example,O=Partner Ltd) is not a CA certificate (basicConstraints CA:TRUE): a truststore holds the CAs that issue client certificates (got "certs/leaf.pem")',
      'environments[2].mtls.truststoreFiles[2]: must hold at least one PEM certificate (-----BEGIN CERTIFICATE-----) (got "certs/empty.pem")',
      'environments[2].mtls.truststoreFiles[3]: must be a readable file (relative to the project root) (got "certs/missing.pem")',
      'environments[2].mtls.truststoreFiles[4]: must be a path inside the project (relative, no ..) (got "../outside.pem")',
      expect.stringMatching(/^clients\[0\]\.certificate: binds the client to a certificate in environment nomtls, which has no truststore \(environments: mtls\): no certificate would ever be presented \(got \{"subject":"O=Partner Ltd, CN=shop.partner.example"/),
      `clients[1].overrides["nomtls"].certificate: binds the client to a certificate in environment nomtls, which has no truststore (environments: mtls): no certificate would ever be presented (got {"sha256":"${"AB".repeat(32)}"})`,
      'clients[2].certificate.sha256: must be a SHA-256 fingerprint: 64 hex digits, with or without colons (got "xyz")',
      "clients[3].certificate: must name the subject, the sha256 fingerprint or both (got {})",
      'apis[0].routes[1].requireBoundCertificate: needs authorizer: "scope-checker" (only the scope checker sees the connection\'s certificate) (got true)',
      "apis[0].routes[0].requireBoundCertificate: needs mutual TLS in every environment: environment nomtls has no mtls, so no client there could be bound (got true)",
    ]));
  });

  it("counts the doubled resource servers and scopes while identifiers move", () => {
    const found = problems((c) => {
      c.environments[0].customDomain.scopeIdentifiers = "both";
      c.apis[0].scopes = Array.from({ length: 26 }, (_, k) => ({ name: `s${k}`, description: "x" }));
      c.apis[0].routes = [{ method: "GET", path: "/payments", scopes: ["s0"] }];
      c.clients = [{ name: "shop", scopes: c.apis[0].scopes.map((s: Mutable) => `payments:${s.name}`) }];
    });
    expect(found).toEqual(["clients[0].scopes: make 52 allowed scopes in environment dev while its identifiers move (two per scope); Cognito allows 50 per app client (got \"26 scopes\")"]);
  });

  it("refuses a domain name that is not one", () => {
    expect(problems((c) => void (c.environments[0].customDomain = { apiDomainName: "API.example.com", hostedZoneId: "zone" }))).toEqual([
      'environments[0].customDomain.apiDomainName: must be a lowercase domain name such as api.example.com (got "API.example.com")',
      'environments[0].customDomain.hostedZoneId: must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (got "zone")',
    ]);
  });
});

describe("certificate binding", () => {
  const other = ca.issue({ subject: { CN: "intruder.example", O: "Partner Ltd" }, usage: "client" });
  const facts = new X509Certificate(leaf.certPem);
  it("normalizes subjects and fingerprints written either way", () => {
    expect(normalizeSubject("O=Partner Ltd, cn=shop")).toBe(normalizeSubject("CN=shop\nO=Partner Ltd"));
    expect(normalizeFingerprint(facts.fingerprint256.replace(/:/g, "").toLowerCase())).toBe(facts.fingerprint256);
  });
  it("matches the presented certificate against the binding", () => {
    const binding = { subject: normalizeSubject("CN=shop.partner.example,O=Partner Ltd"), sha256: facts.fingerprint256 };
    expect(checkBinding(binding, leaf.certPem, true)).toEqual({ ok: true });
    expect(checkBinding({ subject: binding.subject }, leaf.certPem, false)).toEqual({ ok: true });
    expect(checkBinding(binding, other.certPem, false)).toEqual({ ok: false, reason: "certificate-mismatch" });
    expect(checkBinding({ sha256: binding.sha256 }, other.certPem, false)).toEqual({ ok: false, reason: "certificate-mismatch" });
    expect(checkBinding(binding, undefined, false)).toEqual({ ok: false, reason: "certificate-missing" });
    expect(checkBinding(binding, "garbage", false)).toEqual({ ok: false, reason: "certificate-missing" });
    expect(checkBinding(undefined, leaf.certPem, true)).toEqual({ ok: false, reason: "client-not-bound" });
    expect(checkBinding(undefined, undefined, false)).toEqual({ ok: true });
  });
});
