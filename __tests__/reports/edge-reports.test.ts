/**
 * Reports of an environment with the partner edge (issue 24): the access report names the
 * custom-domain base URL (the resource server identifier), mutual TLS and the certificate-bound
 * clients; the OpenAPI document's server is the custom domain; the access diff shows a change of
 * mutual TLS or of a binding as posture, beside the identifier change.
 */
import * as path from "node:path";
import type { M2MConfigInput } from "../../model/config-types";
import { loadConfigFile } from "../../model/load-config";
import { validateConfig } from "../../model/validate";
import { diffModels } from "../../reports/access-diff";
import { renderAccessDiffMarkdown } from "../../reports/access-diff-markdown";
import { environmentAccess } from "../../reports/environment-access";
import { environmentFacts } from "../../reports/environment-facts";
import { buildOpenApi } from "../../reports/openapi";

type Mutable = Record<string, any>;
const load = () => structuredClone(loadConfigFile(path.join(__dirname, "..", "..", "examples", "partner-edge", "m2m.config.ts"))) as Mutable;
const model = validateConfig(load() as M2MConfigInput);
const prod = model.environments.find((e) => e.name === "prod")!;
const payments = model.apis.find((a) => a.name === "payments")!;

describe("reports of the partner edge", () => {
  const access = environmentAccess(model, prod, payments);

  it("name the custom-domain URL, the token domain, mutual TLS and the bindings", () => {
    const facts = Object.fromEntries(environmentFacts(access, (s) => `\`${s}\``));
    expect(facts["Base URL"]).toMatch(/^`https:\/\/api\.example\.com\/payments` on the custom domain/);
    expect(facts["Token endpoint"]).toBe("`https://auth.example.com/oauth2/token`");
    expect(facts["Mutual TLS"]).toBe("on: client certificates issued by the CAs in `examples/partner-edge/certs/partner-ca.pem`");
    expect(facts["Certificate-bound clients"]).toMatch(/^`acme-bank` \(subject `CN=acme-bank\.partner\.example,O=Acme Bank`, SHA-256 `5D:4A/);
    expect(facts["Bound clients only"]).toBe("`POST /payments`");
    expect(facts["{restApiId}"]).toBeUndefined();
    expect(access.scopes.map((s) => s.identifier)).toEqual(["https://api.example.com/payments/read", "https://api.example.com/payments/write"]);
  });

  it("give the OpenAPI document the custom domain as its server", () => {
    expect((buildOpenApi(access) as Mutable).servers).toEqual([{ url: "https://api.example.com/payments", description: "The API on its custom domain (mutual TLS: present a client certificate from a trusted CA)." }]);
  });

  it("show a binding or mutual TLS change in the access diff", () => {
    const head = load();
    head.clients[0].overrides.prod.certificate = { subject: "CN=acme-bank-2025.partner.example,O=Acme Bank" };
    delete head.environments[0].mtls;
    delete head.clients[0].certificate;
    head.apis[1].routes[0].requireBoundCertificate = false;
    const markdown = renderAccessDiffMarkdown(diffModels(model, validateConfig(head as M2MConfigInput)), { base: "main", head: "this branch" });
    expect(markdown).toContain("Certificate-bound clients: `acme-bank=CN=acme-bank.partner.example,O=Acme Bank/5D:4A");
    expect(markdown).toContain("→ `acme-bank=CN=acme-bank-2025.partner.example,O=Acme Bank`");
    expect(markdown).toContain("Mutual TLS: `on (examples/partner-edge/certs/partner-ca.pem)` → `off`");
  });
});
