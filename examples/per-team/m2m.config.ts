/**
 * The per-team layout: this file holds what the platform team owns (the authorization server,
 * the environments, clients no team sponsors); each team keeps its API, and the clients it
 * sponsors, in its own file under apis/ (`defineApi`), which CODEOWNERS assigns to that team.
 * A team onboards an API with a pull request that adds one file; a partner, with one that adds
 * a client to the sponsoring team's file. Synthesize it with `M2M_CONFIG=examples/per-team/m2m.config.ts npm run synth`.
 */
import { defineConfig } from "../../model/config-types";

export default defineConfig({
  name: "acme-m2m",
  owners: ["@acme/platform"],
  // Every apis/*.m2m.ts file is one team's API, loaded in name order.
  apiFiles: "apis",

  clients: [
    // Sponsored by no team: the platform's own reporting job, on both teams' APIs.
    { name: "platform-audit", description: "Platform audit job", scopes: ["orders:read", "invoices:read"] },
  ],

  environments: [
    { name: "dev", region: "eu-west-1", domainPrefix: "acme-m2m-dev", stageName: "dev" },
    {
      name: "prod",
      kind: "production",
      region: "eu-west-1",
      domainPrefix: "acme-m2m-prod",
      stageName: "prod",
      accessLogs: { manageAccountRole: true },
      alarms: { emails: ["platform-oncall@example.com"] },
      backend: { type: "s3", bucket: "acme-terraform-state", key: "acme-m2m/prod.tfstate", region: "eu-west-1" },
    },
  ],
});
