/**
 * Change transitions (issues 9 §2 and 16), planned by Terraform and applied to the emulator:
 * config A (a variation of the default config) is applied to moto_server; each step's config B
 * is planned against the state the previous apply left, checked, then applied; each chain ends
 * with a refreshed re-plan that must be empty. Three chains run side by side, each with its own
 * emulator and state: `dev-routes` (routes and authorizers), `dev-clients` (clients, then the
 * environment removed) and `prod` (production options off, then the environment removed).
 *
 * For every step: the resources created, updated, replaced and destroyed are exactly the
 * expected ones; the user pool, its domain and the resource server are never replaced; no app
 * client is ever replaced (its id and secret survive); the OpenAPI body the plan puts holds
 * exactly B's routes; the new deployment waits for the put in Terraform's apply graph (so the
 * deployment snapshots B); and after apply the REST API in the emulator holds exactly B's
 * methods. moto does not snapshot deployments: what a stage serves on AWS rests on the plan
 * and the apply graph, not on the emulator.
 */
import * as fs from "node:fs";
import { editableDefaultConfig, clientNamed, routeNamed } from "../reports/config-fixtures";
import { tempDir } from "../support/synth";
import { waitsFor } from "../../verify/apply-graph";
import { formatDiffs } from "../../verify/plan-reading";
import { plannedRoutes } from "../../verify/served-routes";
import type { ActionSummary, TransitionPlan } from "../../verify/transition";
import { terraformTierDescribe } from "./tier-gate";
import { runChain, type ChainRun, type EditableConfig, type StepResult, type TransitionStep } from "./transition-steps";

const gate = terraformTierDescribe(true);

function routesOf(config: EditableConfig): string[] {
  return (config.routes as { method: string; path: string }[]).map((r) => `${r.method} ${r.path}`).sort();
}

/** The default config with one environment, plus a nested subtree under /premium to remove later. */
function baseConfig(environment: "dev" | "prod", edit: (c: EditableConfig) => void = () => undefined): EditableConfig {
  const config = editableDefaultConfig() as EditableConfig;
  config.environments = config.environments.filter((e: { name: string }) => e.name === environment);
  edit(config);
  return config;
}

/** Routes and authorizers change on one dev chain... */
const ROUTE_STEPS: readonly TransitionStep[] = [
  { name: "remove a route", edit: (c) => (c.routes = c.routes.filter((r: any) => !(r.method === "POST" && r.path === "/premium"))) },
  { name: "remove a path subtree", edit: (c) => (c.routes = c.routes.filter((r: any) => !r.path.startsWith("/premium/"))) },
  { name: "change a route's scopes", edit: (c) => (routeNamed(c, "GET", "/premium").scopes = ["read", "write"]) },
  { name: "move a route to the scope checker", edit: (c) => (routeNamed(c, "GET", "/hello-world").authorizer = "scope-checker") },
  { name: "move a route back to the native authorizer", edit: (c) => delete routeNamed(c, "GET", "/hello-world").authorizer },
];

/** ...clients on another (its own emulator and state, side by side), which ends removing the environment. */
const CLIENT_STEPS: readonly TransitionStep[] = [
  { name: "add a client", edit: (c) => c.clients.push({ name: "auditor", description: "Added by a transition", scopes: ["read"] }) },
  { name: "change a client's scopes", edit: (c) => (clientNamed(c, "auditor").scopes = ["read", "write"]) },
  { name: "disable a client", edit: (c) => (clientNamed(c, "auditor").disabled = true) },
  { name: "re-enable a client", edit: (c) => delete clientNamed(c, "auditor").disabled },
  { name: "remove a client", edit: (c) => (c.clients = c.clients.filter((x: any) => x.name !== "auditor")) },
  { name: "remove the environment", removesEnvironment: true },
];

const PROD_STEPS: readonly TransitionStep[] = [
  { name: "remove allowedSourceIps", edit: (c) => delete c.environments[0].allowedSourceIps },
  { name: "turn access logs off", edit: (c) => (c.environments[0].accessLogs = { ...c.environments[0].accessLogs, enabled: false }) },
  { name: "turn WAF off", edit: (c) => (c.environments[0].waf = { enabled: false }) },
  { name: "turn alarms off", edit: (c) => (c.environments[0].alarms = { enabled: false }) },
  // prod manages the account's API Gateway CloudWatch role (prevent_destroy): Terraform must refuse.
  { name: "remove the environment", removesEnvironment: true, refusedWith: /aws_api_gateway_account\.account[\s\S]*prevent_destroy|Instance cannot be destroyed[\s\S]*aws_api_gateway_account\.account/ },
];

function devBase(): EditableConfig {
  return baseConfig("dev", (c) => {
    c.routes.push(
      { method: "GET", path: "/premium/{id}", scopes: ["read"], response: { status: 200, body: { item: {} } } },
      { method: "GET", path: "/premium/{id}/history", scopes: ["read"], response: { status: 200, body: { history: [] } } },
    );
  });
}

function prodBase(): EditableConfig {
  return baseConfig("prod", (c) => {
    c.environments[0].allowedSourceIps = ["203.0.113.0/24"];
  });
}

/** Never replaced or destroyed by any transition that keeps the environment. */
const IDENTITY_TYPES = ["aws_cognito_user_pool", "aws_cognito_user_pool_domain", "aws_cognito_resource_server"];

function describeSummary(summary: ActionSummary): string {
  return (Object.entries(summary) as [string, string[]][]).map(([action, list]) => `${action}: ${list.join(", ") || "-"}`).join("\n");
}

function expectInvariants(plan: TransitionPlan): void {
  for (const change of plan.changes) {
    if (IDENTITY_TYPES.includes(change.type)) expect(`${change.address}: ${change.action}`).toBe(`${change.address}: update`);
    if (change.type === "aws_cognito_user_pool_client") expect(`${change.address}: ${change.action}`).not.toMatch(/: replace$/);
  }
}

/** What the stage serves after apply: the planned body has B's routes and the deployment snapshots it. */
function expectServesB(step: StepResult): void {
  const routes = routesOf(step.config);
  expect(plannedRoutes(step.plan.json)).toEqual(routes);
  expect(step.liveRoutes).toEqual(routes);
  const put = step.plan.changes.find((c) => c.type === "aws_api_gateway_rest_api_put");
  const deployment = step.plan.changes.find((c) => c.type === "aws_api_gateway_deployment");
  if (put) {
    // A changed API surface: a new deployment, taken after the new body is on the REST API.
    expect(deployment?.action).toBe("replace");
    expect(waitsFor(step.plan.graph, deployment!.address, put.address)).toBe(true);
  } else {
    expect(deployment).toBeUndefined();
  }
}

gate.describe(gate.title("change transitions: plan B against A's state, apply, re-plan empty"), () => {
  jest.setTimeout(900_000);
  let root: string;
  let devRoutes: ChainRun;
  let devClients: ChainRun;
  let prod: ChainRun;

  beforeAll(() => {
    root = tempDir("tf-transitions");
    fs.mkdirSync(`${root}/dev-routes`);
    fs.mkdirSync(`${root}/dev-clients`);
    fs.mkdirSync(`${root}/prod`);
    devRoutes = runChain(`${root}/dev-routes`, "dev", devBase(), ROUTE_STEPS);
    devClients = runChain(`${root}/dev-clients`, "dev", devBase(), CLIENT_STEPS);
    prod = runChain(`${root}/prod`, "prod", prodBase(), PROD_STEPS);
  });
  afterAll(async () => {
    await Promise.all([devRoutes?.done, devClients?.done, prod?.done]);
    console.log([...(devRoutes?.timings ?? []), ...(devClients?.timings ?? []), ...(prod?.timings ?? [])].join("\n"));
    fs.rmSync(root, { recursive: true, force: true });
  });

  const api = { replace: ["aws_api_gateway_deployment.deployment", "aws_api_gateway_rest_api_put.api"], update: ["aws_api_gateway_stage.stage"] };
  const auditor = ["aws_cognito_user_pool_client.client_auditor", "aws_secretsmanager_secret.client_auditor", "aws_secretsmanager_secret_version.client_auditor"];
  /** Exactly what each step plans (a step missing here is asserted by the invariants only). */
  const EXPECTED: Record<string, Partial<ActionSummary>> = {
    "dev-routes: remove a route": api,
    "dev-routes: remove a path subtree": api,
    // A native route's scopes live in the document only (any-of): nothing but the API surface moves.
    "dev-routes: change a route's scopes": api,
    // The checker's access file (its routes and allow-list) is a layer: a new layer version, which the function then uses.
    "dev-routes: move a route to the scope checker": { replace: [...api.replace, "aws_lambda_layer_version.scope_checker_access"], update: ["aws_api_gateway_stage.stage", "aws_lambda_function.scope_checker"] },
    "dev-routes: move a route back to the native authorizer": { replace: [...api.replace, "aws_lambda_layer_version.scope_checker_access"], update: ["aws_api_gateway_stage.stage", "aws_lambda_function.scope_checker"] },
    "dev-clients: add a client": { create: auditor },
    // The client is updated in place (id and secret survive); the stored credentials JSON lists the
    // scopes, and a new secret_string is a new secret version (replace) in provider 5.100.
    "dev-clients: change a client's scopes": { update: ["aws_cognito_user_pool_client.client_auditor"], replace: ["aws_secretsmanager_secret_version.client_auditor"] },
    // By design a disabled client has no app client (the token endpoint answers invalid_client) and
    // its secret holds {"disabled": true}; re-enabling issues a new id and secret.
    "dev-clients: disable a client": { delete: ["aws_cognito_user_pool_client.client_auditor"], replace: ["aws_secretsmanager_secret_version.client_auditor"] },
    "dev-clients: re-enable a client": { create: ["aws_cognito_user_pool_client.client_auditor"], replace: ["aws_secretsmanager_secret_version.client_auditor"] },
    "dev-clients: remove a client": { delete: auditor },
    "prod: remove allowedSourceIps": api,
    // The account's CloudWatch role stays (it is protected and outlives the logs); only the logs go.
    "prod: turn access logs off": {
      update: ["aws_api_gateway_method_settings.all", "aws_api_gateway_stage.stage"],
      delete: ["aws_cloudwatch_log_group.access_logs", "aws_cloudwatch_log_group.execution_logs"],
    },
    // Both web ACLs go (the stage's and the token endpoint's), with their associations and logs.
    "prod: turn WAF off": {
      delete: [
        "aws_cloudwatch_log_group.api_waf",
        "aws_cloudwatch_log_group.user_pool_waf",
        "aws_wafv2_web_acl.api",
        "aws_wafv2_web_acl.user_pool",
        "aws_wafv2_web_acl_association.api",
        "aws_wafv2_web_acl_association.user_pool",
        "aws_wafv2_web_acl_logging_configuration.api_waf",
        "aws_wafv2_web_acl_logging_configuration.user_pool_waf",
      ],
    },
    // The alarms (the rotation function's Errors alarm among them), their topic and its key, the
    // subscription and the fail-closed metric filter that feeds one.
    "prod: turn alarms off": {
      delete: [
        "aws_cloudwatch_log_metric_filter.scope_checker_fail_closed",
        "aws_cloudwatch_metric_alarm.api_4xx_spike",
        "aws_cloudwatch_metric_alarm.api_5xx_rate",
        "aws_cloudwatch_metric_alarm.cognito_token_throttles",
        "aws_cloudwatch_metric_alarm.scope_checker_fail_closed",
        "aws_cloudwatch_metric_alarm.scope_checker_throttles",
        "aws_cloudwatch_metric_alarm.secret_rotation_errors",
        "aws_kms_alias.alarms",
        "aws_kms_key.alarms",
        "aws_sns_topic.alarms",
        "aws_sns_topic_subscription.alarms_platform-oncall_at_example_com",
      ],
    },
  };

  for (const [chainName, steps] of [
    ["dev-routes", ROUTE_STEPS],
    ["dev-clients", CLIENT_STEPS],
    ["prod", PROD_STEPS],
  ] as const) {
    for (const step of steps) {
      test(`${chainName}: ${step.name}`, async () => {
        const run = { "dev-routes": devRoutes, "dev-clients": devClients, prod }[chainName];
        if (step.refusedWith) {
          await expect(run.steps.get(step.name)!).rejects.toThrow(step.refusedWith);
          return;
        }
        const result = await run.steps.get(step.name)!;
        console.log(`${chainName}: ${step.name}\n${describeSummary(result.plan.summary)}\n${formatDiffs(result.plan.changes).join("\n")}`);
        // A removed environment destroys its pool too (the removal's own assertions follow).
        if (!step.removesEnvironment) expectInvariants(result.plan);
        const expected = EXPECTED[`${chainName}: ${step.name}`];
        if (expected) expect(result.plan.summary).toEqual({ create: [], update: [], replace: [], delete: [], ...expected });
        if (step.removesEnvironment) {
          expect(result.plan.summary.create).toEqual([]);
          expect(result.plan.summary.update).toEqual([]);
          expect(result.plan.summary.delete.length).toBeGreaterThan(20);
          expect(result.stateResources).toBe(0);
        } else {
          expectServesB(result);
        }
      });
    }
    test(`${chainName}: the refreshed plan after the last apply (before any removal) is empty`, async () => {
      const run = { "dev-routes": devRoutes, "dev-clients": devClients, prod }[chainName];
      expect(formatDiffs(await run.finalReplan)).toEqual([]);
    });
  }
});
