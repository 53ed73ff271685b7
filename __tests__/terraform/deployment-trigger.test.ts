/**
 * Regression for issue 16: a deployment triggered by a hash of whole resources
 * (`sha1(jsonencode([aws_api_gateway_method.x, ...]))`, the old design) is replaced on every plan
 * after an apply, because refresh reads back attributes (empty maps and lists) the apply never
 * recorded; the stack's own trigger (a hash of what the configuration says) is not.
 *
 * The old design is reconstructed on a working copy: beside the synthesized stack, a probe REST
 * API with one resource, method, MOCK integration and responses shaped as the old synth wrote
 * them, and a deployment triggered by the whole-resource hash. Both are applied to moto_server
 * in the same apply; then one refreshed plan decides.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { editableDefaultConfig } from "../reports/config-fixtures";
import { tempDir } from "../support/synth";
import { formatDiffs } from "../../verify/plan-reading";
import { emulatorRun } from "../../verify/tiers";
import { synthesizeStacks } from "../../verify/verified-configs";
import { terraformTierDescribe } from "./tier-gate";

const gate = terraformTierDescribe(true);

const api = "${aws_api_gateway_rest_api.old_design_probe.id}";
const method = "aws_api_gateway_method.old_design_probe";
/** The old design, for one route, as the pre-OpenAPI synth wrote it (authorization aside). */
const OLD_DESIGN_PROBE = {
  aws_api_gateway_rest_api: { old_design_probe: { name: "old-design-probe", endpoint_configuration: { types: ["REGIONAL"] } } },
  aws_api_gateway_resource: { old_design_probe: { parent_id: "${aws_api_gateway_rest_api.old_design_probe.root_resource_id}", path_part: "hello-world", rest_api_id: api } },
  aws_api_gateway_method: { old_design_probe: { authorization: "NONE", http_method: "GET", resource_id: "${aws_api_gateway_resource.old_design_probe.id}", rest_api_id: api } },
  aws_api_gateway_integration: {
    old_design_probe: { http_method: `\${${method}.http_method}`, resource_id: `\${${method}.resource_id}`, rest_api_id: api, type: "MOCK", passthrough_behavior: "NEVER", request_templates: { "application/json": '{"statusCode":200}' } },
  },
  aws_api_gateway_method_response: {
    old_design_probe: { http_method: `\${${method}.http_method}`, resource_id: `\${${method}.resource_id}`, rest_api_id: api, status_code: "200", response_models: { "application/json": "Empty" } },
  },
  aws_api_gateway_integration_response: {
    old_design_probe: {
      depends_on: ["aws_api_gateway_integration.old_design_probe"],
      http_method: `\${${method}.http_method}`,
      resource_id: `\${${method}.resource_id}`,
      rest_api_id: api,
      status_code: "${aws_api_gateway_method_response.old_design_probe.status_code}",
      response_templates: { "application/json": '{"message":"hello world!"}' },
    },
  },
};
const HASHED = ["resource", "method", "integration", "method_response", "integration_response"].map((t) => `aws_api_gateway_${t}.old_design_probe`);

gate.describe(gate.title("deployment trigger: whole-resource hash vs configured-body hash"), () => {
  jest.setTimeout(600_000);
  let root: string;
  beforeAll(() => {
    root = tempDir("tf-trigger");
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test("after an apply, the old trigger replaces its deployment on the next plan; the stack's does not", async () => {
    // A small stack keeps the apply short: dev only, one native route, one client.
    const config = editableDefaultConfig() as ReturnType<typeof editableDefaultConfig> & { routes: { path: string }[] }; // the one-API form
    config.environments = config.environments.filter((e: { name: string }) => e.name === "dev");
    config.routes = config.routes.filter((r: { path: string }) => r.path === "/hello-world");
    config.clients = config.clients.filter((c: { name: string }) => c.name === "3rd-party");
    const [stack] = synthesizeStacks("trigger", config, path.join(root, "synth"));

    // Applied to moto, then re-planned with refresh (kept by the copy's exact bytes: verify/tier-result-cache).
    const run = await emulatorRun(stack!.dir, path.join(root, "copy"), {
      showEmpty: true,
      edit: (json) => {
        for (const [type, byName] of Object.entries(OLD_DESIGN_PROBE)) Object.assign((json.resource[type] ??= {}), structuredClone(byName));
        json.resource.aws_api_gateway_deployment.old_design_probe = {
          rest_api_id: api,
          triggers: { redeployment: `\${sha1(jsonencode([${HASHED.join(", ")}]))}` },
          depends_on: HASHED,
          lifecycle: { create_before_destroy: true },
        };
      },
    });
    const changed = run.changes.filter((c) => c.action !== "no-op" && c.action !== "read");
    console.log(`re-plan after apply${run.keptFrom ? ` (kept result of the run at ${run.keptFrom} on these exact bytes)` : ""}:\n${formatDiffs(changed).join("\n") || "no changes"}`);

    const probe = changed.find((c) => c.address === "aws_api_gateway_deployment.old_design_probe");
    expect(probe?.action).toBe("replace");
    expect(probe?.replacePaths).toEqual(["triggers"]);
    const stackDeployments = run.changes.filter((c) => c.type === "aws_api_gateway_deployment" && c.address !== "aws_api_gateway_deployment.old_design_probe");
    expect(stackDeployments.length).toBe(1);
    expect(stackDeployments.map((c) => `${c.address}: ${c.action}`)).toEqual([`${stackDeployments[0]!.address}: no-op`]);
  });
});
