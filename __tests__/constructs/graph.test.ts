/** The synthesized Terraform as a graph: resolvable references, no cycle, the right ordering. */
import { synthDefault, type SynthesizedStack, type TerraformJson } from "../support/synth";
import { buildGraph, findCycle, reaches, referencesIn } from "../support/terraform-graph";

const stacks = synthDefault();

describe.each(Object.keys(stacks))("stack %s", (env) => {
  const stack: SynthesizedStack = stacks[env]!;
  const graph = buildGraph(stack.json);

  test("every ${...} reference resolves to something declared", () => {
    expect(graph.dangling).toEqual([]);
  });

  test("references plus depends_on form no cycle", () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  test("the deployment depends on every method, integration and response", () => {
    const dependsOn = new Set(stack.json.resource.aws_api_gateway_deployment!.deployment!.depends_on as string[]);
    for (const type of ["aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_integration_response", "aws_api_gateway_method_response", "aws_api_gateway_gateway_response", "aws_api_gateway_authorizer"]) {
      const names = Object.keys(stack.json.resource[type] ?? {});
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(dependsOn).toContain(`${type}.${name}`);
    }
  });

  test("the resource server identifier references neither the deployment nor the stage", () => {
    const server = "aws_cognito_resource_server.resource_server";
    expect(reaches(graph, server, "aws_api_gateway_deployment.deployment")).toBe(false);
    expect(reaches(graph, server, "aws_api_gateway_stage.stage")).toBe(false);
    expect(referencesIn(stack.json.resource.aws_cognito_resource_server!.resource_server!.identifier)).toEqual(["aws_api_gateway_rest_api.rest_api"]);
  });

  test("methods and clients come after the resource server (their scopes exist first)", () => {
    const server = "aws_cognito_resource_server.resource_server";
    for (const [name, method] of Object.entries(stack.json.resource.aws_api_gateway_method!)) {
      if ((method as { authorization: string }).authorization === "COGNITO_USER_POOLS") {
        expect(reaches(graph, `aws_api_gateway_method.${name}`, server)).toBe(true);
      }
    }
    for (const name of Object.keys(stack.json.resource.aws_cognito_user_pool_client!)) {
      expect(reaches(graph, `aws_cognito_user_pool_client.${name}`, server)).toBe(true);
    }
  });
});

describe("the graph checks themselves", () => {
  const json = (resource: TerraformJson["resource"]): TerraformJson => ({ resource, output: {}, provider: {}, terraform: {} });

  test("find a cycle through depends_on and references", () => {
    const graph = buildGraph(
      json({
        aws_a: { x: { v: "${aws_b.y.id}" } },
        aws_b: { y: { depends_on: ["aws_c.z"] } },
        aws_c: { z: { v: "${upper(aws_a.x.name)}" } },
      }),
    );
    expect(findCycle(graph)).toEqual(["aws_a.x", "aws_b.y", "aws_c.z", "aws_a.x"]);
  });

  test("report references to undeclared addresses", () => {
    const graph = buildGraph(json({ aws_a: { x: { v: "${aws_missing.y.id}", w: "https://execute-api.amazonaws.com" } } }));
    expect(graph.dangling).toEqual([{ from: "aws_a.x", to: "aws_missing.y" }]);
  });
});
