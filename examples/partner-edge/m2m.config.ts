/**
 * The partner-grade edge (issue 24): stable names and mutual TLS. Partners call
 * `https://api.<env>.example.com/content/...` and `https://api.<env>.example.com/payments/...`
 * (one regional API Gateway custom domain, one base path per API) and fetch tokens at
 * `https://auth.example.com/oauth2/token` (a Cognito custom domain). Scope identifiers are keyed
 * to the custom domain (`https://api.example.com/payments/write`), so they survive a REST API's
 * replacement. The API domain requires a client certificate issued by the partner CA in
 * certs/partner-ca.pem (the truststore), and the scope checker holds bound clients to their
 * certificate: a token of acme-bank is refused on any other connection.
 * Synthesize it with `M2M_CONFIG=examples/partner-edge/m2m.config.ts npm run synth`.
 * Guide: docs/custom-domains-and-mtls.md.
 */
import { defineConfig } from "../../model/config-types";

export default defineConfig({
  name: "edge-m2m",
  owners: ["@acme/platform"],

  apis: [
    {
      name: "content",
      resourceServerName: "Content API",
      owners: ["@acme/content-team"],
      scopes: [{ name: "read", description: "Read content" }],
      routes: [{ method: "GET", path: "/articles", scopes: ["read"], description: "Lists articles", response: { status: 200, body: { items: [] } } }],
    },
    {
      name: "payments",
      resourceServerName: "Payments API",
      owners: ["@acme/payments-team"],
      scopes: [
        { name: "read", description: "Read payment state" },
        { name: "write", description: "Initiate payments" },
      ],
      routes: [
        {
          // Only a certificate-bound client, over a connection presenting its certificate.
          method: "POST",
          path: "/payments",
          scopes: ["write"],
          authorizer: "scope-checker",
          requireBoundCertificate: true,
          description: "Initiates a payment",
          response: { status: 201, body: { accepted: true } },
        },
        { method: "GET", path: "/payments/{id}", scopes: ["read"], authorizer: "scope-checker", description: "Reads one payment's state", response: { status: 200, body: { status: "settled" } } },
        {
          // An HTTPS service: API Gateway presents the stage's client certificate to it.
          method: "GET",
          path: "/payments/{id}/receipt",
          scopes: ["read"],
          description: "A payment's receipt, from the ledger service",
          backend: { type: "http", url: "https://ledger.example.com/receipts/{id}", timeoutMs: 5000 },
        },
      ],
    },
  ],

  clients: [
    {
      name: "acme-bank",
      description: "Partner bank initiating payments over mutual TLS",
      scopes: ["payments:read", "payments:write"],
      // Its tokens count only on a connection presenting this certificate.
      certificate: { subject: "CN=acme-bank.partner.example,O=Acme Bank" },
      overrides: {
        // In production the exact certificate too (openssl x509 -noout -fingerprint -sha256).
        prod: { certificate: { subject: "CN=acme-bank.partner.example,O=Acme Bank", sha256: "5D:4A:91:0B:7E:22:C3:18:A6:F0:9B:44:12:8C:E7:35:60:D9:2F:AB:01:73:C8:E4:9A:16:5B:3D:70:2E:F1:88" } },
      },
    },
    { name: "reader", description: "Internal reporting over mutual TLS, not bound", scopes: ["content:read", "payments:read"] },
  ],

  environments: [
    {
      name: "dev",
      region: "eu-west-1",
      domainPrefix: "edge-m2m-dev",
      stageName: "dev",
      // No hosted zone here: the certificate's validation record and the domain's target are outputs.
      customDomain: { apiDomainName: "api.dev.example.com" },
      mtls: { truststoreFiles: ["examples/partner-edge/certs/partner-ca.pem"] },
    },
    {
      name: "prod",
      region: "eu-west-1",
      domainPrefix: "edge-m2m-prod",
      stageName: "prod",
      customDomain: { apiDomainName: "api.example.com", hostedZoneId: "Z0123456789EXAMPLE01", tokenDomainName: "auth.example.com" },
      mtls: { truststoreFiles: ["examples/partner-edge/certs/partner-ca.pem"] },
      // State holds every client secret: keep production's in an encrypted, locked S3 bucket.
      backend: { type: "s3", bucket: "acme-terraform-state", key: "edge-m2m/prod.tfstate", region: "eu-west-1" },
    },
  ],
});
