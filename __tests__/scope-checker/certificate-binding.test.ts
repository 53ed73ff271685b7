/**
 * Certificate-bound clients (issue 24): the scope checker compares the connection's certificate
 * (`requestContext.identity.clientCert.clientCertPem`, as API Gateway hands it on a mutual-TLS
 * domain) with the client's binding from the access file. Real certificates (a CA made in the
 * test), real tokens signed with keys made by node:crypto, the handler as the Lambda builds it
 * from an access file.
 */
import { X509Certificate } from "node:crypto";
import { readLambdaEnvironment } from "../../lambdas/scope-checker/lambda-environment";
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { createLocalCa } from "../../local/local-ca";
import { normalizeSubject } from "../../model/certificate-binding";
import { ARN_PREFIX, USER_POOL_ID, accessToken, authorizerEvent, captureConsole, generateSigningKey, jwksOf, policyAllows, scopeIds } from "./support/cognito-tokens";
import { TEST_ROUTES } from "./support/test-routes";

const key = generateSigningKey("key-1");
const BANK = "bank0000client0id0000000001";
const READER = "reader00client0id0000000002";
const ca = createLocalCa("Partner CA");
const bankCert = ca.issue({ subject: { CN: "bank.partner.example", O: "Bank" }, usage: "client" });
const otherCert = ca.issue({ subject: { CN: "other.partner.example", O: "Bank" }, usage: "client" });
const bankFingerprint = new X509Certificate(bankCert.certPem).fingerprint256;

// POST /payments needs a bound certificate; GET / does not.
const routes = TEST_ROUTES.map((r) => (r.method === "POST" && r.path === "/payments" ? { ...r, requireBoundCertificate: true } : r));
const handler = createHandler({
  userPoolId: USER_POOL_ID,
  clientIds: [BANK, READER],
  routes,
  jwks: jwksOf(key),
  bindings: new Map([[BANK, { subject: normalizeSubject("CN=bank.partner.example,O=Bank"), sha256: bankFingerprint }]]),
});
const scopes = scopeIds("payments.read", "payments.write", "hello");
const call = (client: string, route: { method: string; resource: string }, pem?: string) => {
  const event = authorizerEvent({ ...route, headers: { Authorization: `Bearer ${accessToken(key, client, scopes)}` } });
  return handler({ ...event, requestContext: { ...event.requestContext, identity: { sourceIp: "203.0.113.9", ...(pem === undefined ? {} : { clientCert: { clientCertPem: pem, subjectDN: "ignored" } }) } } });
};
const payments = { method: "POST", resource: "/payments" };
const hello = { method: "GET", resource: "/" };

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => (logs = captureConsole()));
afterEach(() => logs.restore());

describe("a client bound to a certificate", () => {
  it("is allowed with its own certificate, on routes that require one and on others", async () => {
    for (const route of [payments, hello]) {
      const result = await call(BANK, route, bankCert.certPem);
      expect(policyAllows(result.policyDocument, `${ARN_PREFIX}${route.method}${route.resource}`)).toBe(true);
      expect(result.context.denyReason).toBeUndefined();
    }
  });

  it.each([
    ["another client's certificate", () => otherCert.certPem, "certificate-mismatch"],
    ["no certificate", () => undefined, "certificate-missing"],
    ["a PEM that does not parse", () => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "certificate-missing"],
  ])("is denied everything with %s, and the reason is in the context", async (_name, pem, reason) => {
    for (const route of [payments, hello]) {
      const result = await call(BANK, route, pem());
      expect(policyAllows(result.policyDocument, `${ARN_PREFIX}${route.method}${route.resource}`)).toBe(false);
      expect(result.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX.slice(0, -1)}/*`] }]);
      expect(result.context.denyReason).toBe(reason);
    }
    expect(logs.lines.some((l) => l.includes(`"decision":"deny"`) && l.includes(`"reason":"${reason}"`) && l.includes(BANK))).toBe(true);
  });
});

describe("a client bound to no certificate", () => {
  it("is denied a route that requires a bound certificate, whatever certificate it shows", async () => {
    for (const pem of [undefined, bankCert.certPem]) {
      const result = await call(READER, payments, pem);
      expect(policyAllows(result.policyDocument, `${ARN_PREFIX}POST/payments`)).toBe(false);
      expect(result.context.denyReason).toBe("client-not-bound");
      // Its other routes stay in the policy.
      expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/`)).toBe(true);
    }
  });
  it("is allowed elsewhere without a certificate", async () => {
    const result = await call(READER, hello);
    expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/`)).toBe(true);
  });
});

describe("the access file", () => {
  const env = { USER_POOL_ID, RESOURCE_SERVER_ID: "https://api.example.com/payments", ACCESS_FILE: "/access.json" };
  const read = (file: unknown) => () => readLambdaEnvironment(env, () => JSON.stringify(file));
  it("carries bindings and routes that require them", () => {
    const settings = read({ clientIds: [BANK], routes: [{ method: "POST", path: "/payments", scopes: ["write"], requireBoundCertificate: true }], bindings: [{ clientId: BANK, sha256: bankFingerprint }] })();
    expect(settings.options.bindings!.get(BANK)).toEqual({ sha256: bankFingerprint });
    expect(settings.options.routes[0]!.requireBoundCertificate).toBe(true);
  });
  it.each([
    [{ bindings: {} }, "access.json bindings: must be a JSON array"],
    [{ bindings: [{ clientId: BANK }] }, "access.json bindings[0]: must name a clientId and a subject, an upper-case colon-separated sha256, or both"],
    [{ bindings: [{ clientId: BANK, sha256: "ab" }] }, "access.json bindings[0]: must name a clientId and a subject, an upper-case colon-separated sha256, or both"],
    [{ routes: [{ method: "GET", path: "/", scopes: ["x"], requireBoundCertificate: "yes" }] }, "access.json routes[0]: requireBoundCertificate must be true or absent"],
  ])("refuses a malformed one at cold start: %j", (change, message) => {
    expect(read({ clientIds: [BANK], routes: [{ method: "GET", path: "/", scopes: ["x"] }], ...change })).toThrow(message);
  });
});
