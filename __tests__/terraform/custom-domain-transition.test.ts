/**
 * Moving scope identifiers from the invoke URL to the custom domain (issue 24), planned by
 * Terraform against the state each step's apply left on the emulator. Config A is the
 * partner-edge example's dev environment without its edge (identifiers keyed to the invoke URL).
 *
 * The direct switch (`scopeIdentifiers: "custom-domain"` in one deploy) deletes every API's
 * resource server while creating the new one: every scope is renamed at once, so tokens cached
 * with the old scopes, and clients asking for them by name, are refused. The path the docs give
 * (docs/custom-domains-and-mtls.md) takes three deploys, each checked here:
 *  1. `invoke-url`: the domain, its certificate and base paths are added; nothing of Cognito changes;
 *  2. `both`: a second resource server per API (the domain's) is created; app clients are updated
 *     in place (never replaced: ids and secrets survive) to allow both sets; routes accept either;
 *  3. `custom-domain`: the invoke-URL resource servers are deleted and the execute-api endpoints
 *     disabled, once clients ask for the new scopes.
 * The chain ends with a refreshed re-plan that must be empty.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { M2MConfigInput } from "../../model/config-types";
import { loadConfigFile } from "../../model/load-config";
import { TransitionChain, type ActionSummary, type TransitionPlan } from "../../verify/transition";
import { tempDir } from "../support/synth";
import { terraformTierDescribe } from "./tier-gate";

const gate = terraformTierDescribe(true);

type Editable = Record<string, any>;
function configWith(scopeIdentifiers?: "invoke-url" | "both" | "custom-domain"): M2MConfigInput {
  const config = structuredClone(loadConfigFile(path.join(__dirname, "..", "..", "examples", "partner-edge", "m2m.config.ts"))) as Editable;
  config.environments = config.environments.filter((e: Editable) => e.name === "dev");
  const dev = config.environments[0];
  delete dev.mtls;
  dev.customDomain = scopeIdentifiers === undefined ? undefined : { apiDomainName: "api.dev.example.com", scopeIdentifiers };
  if (scopeIdentifiers === undefined) delete dev.customDomain;
  for (const client of config.clients) {
    delete client.certificate;
    delete client.overrides;
  }
  for (const api of config.apis) for (const route of api.routes) delete route.requireBoundCertificate;
  return config as M2MConfigInput;
}

const SERVERS = (kind: "resource_server" | "domain_resource_server") => [`aws_cognito_resource_server.content_${kind}`, `aws_cognito_resource_server.payments_${kind}`];
const CLIENTS = ["aws_cognito_user_pool_client.client_acme-bank", "aws_cognito_user_pool_client.client_reader"];
const DOCUMENTS = ["aws_api_gateway_deployment.content_deployment", "aws_api_gateway_deployment.payments_deployment", "aws_api_gateway_rest_api_put.content_api", "aws_api_gateway_rest_api_put.payments_api"];
const STAGES = ["aws_api_gateway_stage.content_stage", "aws_api_gateway_stage.payments_stage"];
const SECRET_VALUES = ["aws_secretsmanager_secret_version.client_acme-bank", "aws_secretsmanager_secret_version.client_reader"];
const REST_APIS = ["aws_api_gateway_rest_api.content_rest_api", "aws_api_gateway_rest_api.payments_rest_api"];
const CHECKER = "aws_lambda_function.payments_scope_checker";
const sorted = (...lists: string[][]) => lists.flat().sort();

interface Results {
  readonly direct: TransitionPlan;
  readonly steps: readonly TransitionPlan[];
  readonly replan: readonly unknown[];
}

gate.describe(gate.title("scope identifiers from the invoke URL to the custom domain, planned and applied on the emulator"), () => {
  jest.setTimeout(900_000);
  let root: string;
  let results: Promise<Results>;

  beforeAll(() => {
    root = tempDir("tf-domain-transition");
    results = (async () => {
      const chain = await TransitionChain.start(root, "dev", configWith());
      try {
        // The direct switch, planned only: the state stays A's.
        const direct = await chain.planTo(configWith("custom-domain"));
        const steps: TransitionPlan[] = [];
        for (const step of ["invoke-url", "both", "custom-domain"] as const) {
          const plan = await chain.planTo(configWith(step));
          steps.push(plan);
          await chain.applyChange(plan);
        }
        return { direct, steps, replan: await chain.replan() };
      } finally {
        await chain.close();
      }
    })();
    results.catch(() => undefined);
  });
  afterAll(async () => {
    await results?.catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  const show = (name: string, summary: ActionSummary) => console.log(`${name}:\n${Object.entries(summary).map(([action, list]) => `  ${action}: ${list.length === 0 ? "-" : list.join(", ")}`).join("\n")}`);

  test("the direct switch deletes every invoke-URL resource server as it creates the domain's (every scope renamed at once)", async () => {
    const { direct } = await results;
    show("direct", direct.summary);
    expect(direct.summary.delete).toEqual(SERVERS("resource_server"));
    expect(direct.summary.create).toEqual(expect.arrayContaining(SERVERS("domain_resource_server")));
    expect(direct.summary.update).toEqual(expect.arrayContaining(CLIENTS));
  });

  test("1. invoke-url: the domain is added, Cognito untouched, execute-api still on", async () => {
    const [step] = (await results).steps;
    show("invoke-url", step!.summary);
    expect(step!.summary).toEqual({
      create: ["aws_acm_certificate.api_domain_certificate", "aws_acm_certificate_validation.api_domain_certificate", "aws_api_gateway_base_path_mapping.api_domain_content", "aws_api_gateway_base_path_mapping.api_domain_payments", "aws_api_gateway_domain_name.api_domain"],
      update: STAGES,
      replace: DOCUMENTS,
      delete: [],
    });
  });

  test("2. both: the domain's resource servers are added, clients updated in place, nothing deleted", async () => {
    const step = (await results).steps[1]!;
    show("both", step.summary);
    expect(step.summary).toEqual({ create: SERVERS("domain_resource_server"), update: sorted(STAGES, CLIENTS, [CHECKER]), replace: sorted(DOCUMENTS, SECRET_VALUES), delete: [] });
    // Routes accept either identifier: the native method lists both (any-of)...
    const document = JSON.parse(step.changes.find((c) => c.address === "aws_api_gateway_rest_api_put.content_api")!.after.body as string);
    expect(document.paths["/articles"].get.security[0]["cognito-user-pool"]).toEqual(["https://api.dev.example.com/content/read", expect.stringMatching(/^https:\/\/\w+\.execute-api\.eu-west-1\.amazonaws\.com\/dev\/read$/)]);
    // ...and the clients may ask for either.
    const reader = step.changes.find((c) => c.address === "aws_cognito_user_pool_client.client_reader")!;
    expect(reader.after.allowed_oauth_scopes).toHaveLength(4);
  });

  test("3. custom-domain: the invoke-URL resource servers are deleted, execute-api disabled, no client replaced", async () => {
    const step = (await results).steps[2]!;
    show("custom-domain", step.summary);
    expect(step.summary).toEqual({ create: [], update: sorted(REST_APIS, STAGES, CLIENTS, [CHECKER]), replace: DOCUMENTS, delete: SERVERS("resource_server") });
  });

  test("the chain converges: the refreshed re-plan is empty", async () => {
    expect((await results).replan).toEqual([]);
  });
});
