/**
 * The backend-side check that a request came through the gateway (issue 24): an HTTPS service
 * pins the stage's client certificate (backends/gateway-certificate.ts). Proven with the offline
 * stage, which presents its own client certificate to https backends as API Gateway does: the
 * proxied call is accepted, a direct call with another certificate or none is refused. Real
 * certificates (a CA made in the test), real TLS on 127.0.0.1.
 */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { createGatewayCertificateVerifier, GatewayCertificateConfigError, GATEWAY_CLIENT_CERTIFICATE_TLS } from "../../backends/gateway-certificate";
import { tlsFetch } from "../../client/tls-fetch";
import { createTokenClient } from "../../client/token-client";
import { fetchWithToken } from "../../client/fetch-with-token";
import { createLocalCa } from "../../local/local-ca";
import { backendUrlKey, startLocalEnvironment, type LocalEnvironment } from "../../local/local-environment";
import { validateConfig } from "../../model/validate";

const ca = createLocalCa();
const model = validateConfig({
  api: { name: "ledger", resourceServerName: "Ledger", scopes: [{ name: "read", description: "Read" }] },
  routes: [{ method: "GET", path: "/receipts/{id}", scopes: ["read"], backend: { type: "http", url: "https://ledger.example.com/receipts/{id}" } }],
  clients: [{ name: "shop", scopes: ["read"] }],
  environments: [{ name: "dev", region: "eu-west-1", domainPrefix: "ledger-dev", stageName: "dev" }],
});

let backend: Server;
let backendUrl: string;
let env: LocalEnvironment;
const seen: string[] = [];

beforeAll(async () => {
  const serverCert = ca.issue({ subject: { CN: "127.0.0.1" }, usage: "server", ipAddresses: ["127.0.0.1"] });
  // Pins the certificate the environment presents, once the environment (started below, on the backend's URL) exists.
  let verify: ReturnType<typeof createGatewayCertificateVerifier> = () => ({ ok: false, reason: "no-certificate" });
  backend = createServer({ cert: serverCert.certPem, key: serverCert.keyPem, ...GATEWAY_CLIENT_CERTIFICATE_TLS }, (req, res) => {
    const check = verify(req);
    seen.push(check.ok ? "ok" : check.reason);
    res.writeHead(check.ok ? 200 : 403, { "content-type": "application/json" }).end(JSON.stringify(check.ok ? { receipt: req.url, caller: req.headers["x-m2m-client-id"] } : { refused: check.reason }));
  });
  await new Promise<void>((done) => backend.listen(0, "127.0.0.1", done));
  backendUrl = `https://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  env = await startLocalEnvironment({ model, environment: "dev", tls: { ca }, backendUrls: new Map([[backendUrlKey(model.apis[0]!.routes[0]!), `${backendUrl}/receipts/{id}`]]) });
  verify = createGatewayCertificateVerifier([env.gatewayClientCertificatePem!]);
});
afterAll(async () => {
  await env?.close();
  await new Promise((done) => backend?.close(done));
});

describe("an https backend pinning the gateway's client certificate", () => {
  it("accepts the call the offline stage proxies (it presents its certificate)", async () => {
    const trustLocal = tlsFetch({ ca: ca.certPem });
    const client = model.environments[0]!.clients[0]!;
    const credentials = env.credentials.clients.find((c) => c.name === client.name)!;
    const tokens = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: credentials.clientId, clientSecret: credentials.clientSecret, fetch: trustLocal });
    const response = await fetchWithToken(tokens, `${env.apiUrl}/receipts/42`, {}, { fetch: trustLocal });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ receipt: "/receipts/42", caller: credentials.clientId });
    expect(seen.at(-1)).toBe("ok");
  });

  it("refuses a direct call with another certificate, or none", async () => {
    const other = ca.issue({ subject: { CN: "intruder" }, usage: "client" });
    const withOther = await tlsFetch({ ca: ca.certPem, cert: other.certPem, key: other.keyPem })(`${backendUrl}/receipts/42`, { headers: { "x-m2m-client-id": "forged" } });
    expect(withOther.status).toBe(403);
    expect(await withOther.json()).toEqual({ refused: "unknown-certificate" });
    const withNone = await tlsFetch({ ca: ca.certPem })(`${backendUrl}/receipts/42`);
    expect(await withNone.json()).toEqual({ refused: "no-certificate" });
  });

  it("refuses the pinned certificate once it has expired", () => {
    const verifyLater = createGatewayCertificateVerifier([env.gatewayClientCertificatePem!], () => Date.now() + 400 * 86_400_000);
    const req = { socket: { getPeerCertificate: () => ({ raw: Buffer.from(env.gatewayClientCertificatePem!.replace(/-----[^-]+-----|\s/g, ""), "base64") }) } };
    expect(verifyLater(req as never)).toEqual({ ok: false, reason: "expired-certificate" });
  });

  it("names a pinned PEM that does not parse", () => {
    expect(() => createGatewayCertificateVerifier(["not a pem"])).toThrow(new GatewayCertificateConfigError(0));
  });
});
