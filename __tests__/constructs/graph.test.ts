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

  test("the deployment depends on the API's document, and the document on everything it names", () => {
    expect(stack.json.resource.aws_api_gateway_deployment!.deployment!.depends_on).toEqual(["aws_api_gateway_rest_api_put.api"]);
    const put = "aws_api_gateway_rest_api_put.api";
    for (const target of ["aws_api_gateway_rest_api.rest_api", "aws_cognito_user_pool.user_pool", "aws_cognito_resource_server.resource_server", "aws_lambda_function.scope_checker"]) {
      expect([target, reaches(graph, put, target)]).toEqual([target, true]);
    }
  });

  test("the resource server identifier references neither the deployment nor the stage", () => {
    const server = "aws_cognito_resource_server.resource_server";
    expect(reaches(graph, server, "aws_api_gateway_deployment.deployment")).toBe(false);
    expect(reaches(graph, server, "aws_api_gateway_stage.stage")).toBe(false);
    expect(referencesIn(stack.json.resource.aws_cognito_resource_server!.resource_server!.identifier)).toEqual(["aws_api_gateway_rest_api.rest_api"]);
  });

  test("the API's document and the clients come after the resource server (their scopes exist first)", () => {
    const server = "aws_cognito_resource_server.resource_server";
    expect(reaches(graph, "aws_api_gateway_rest_api_put.api", server)).toBe(true);
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
