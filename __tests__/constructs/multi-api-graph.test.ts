/**
 * The graph of a stack serving several APIs from one pool (issue 11): every reference resolves,
 * no cycle, and what waits for what: each resource server waits for its own REST API only
 * (never a deployment, a stage or another API), each app client for the resource servers of the
 * scopes it holds and no other, each API's document for its own resource server and scope
 * checker, each deployment for its own document, and nothing of one API waits for another's
 * except through an app client (a scope checker's allow-list holds client ids, and a client
 * holding scopes on two APIs waits for both resource servers: a wait, never a cycle).
 */
import defaultConfig from "../../m2m.config";
import multiApiConfig from "../security/fixtures/multi-api.config";
import { synthConfig, type SynthesizedStack } from "../support/synth";
import { buildGraph, findCycle, reaches, referencesIn, type TerraformGraph } from "../support/terraform-graph";

/** `reaches` on the graph without the app clients: what waits for `to` other than through a client id. */
function reachesNotThroughClients(graph: TerraformGraph, from: string, to: string): boolean {
  const edges = new Map([...graph.edges].filter(([node]) => !node.startsWith("aws_cognito_user_pool_client.")));
  return reaches({ ...graph, edges }, from, to);
}

const cases: [string, SynthesizedStack, readonly string[]][] = [
  ...Object.entries(synthConfig(defaultConfig)).map(([env, s]) => [`default/${env}`, s, ["content", "payments"]] as [string, SynthesizedStack, string[]]),
  ...Object.entries(synthConfig(multiApiConfig)).map(([env, s]) => [`multi-api/${env}`, s, ["orders", "invoices"]] as [string, SynthesizedStack, string[]]),
];

describe.each(cases)("stack %s", (_label, stack, apis) => {
  const graph = buildGraph(stack.json);
  const server = (api: string) => `aws_cognito_resource_server.${api}_resource_server`;

  test("every ${...} reference resolves, and references plus depends_on form no cycle", () => {
    expect(graph.dangling).toEqual([]);
    expect(findCycle(graph)).toBeUndefined();
  });

  test("each resource server is keyed to its own REST API, and waits for nothing else of the API", () => {
    for (const api of apis) {
      const body = stack.json.resource.aws_cognito_resource_server![`${api}_resource_server`] as { identifier: string };
      expect(referencesIn(body.identifier)).toEqual([`aws_api_gateway_rest_api.${api}_rest_api`]);
      expect(reaches(graph, server(api), `aws_api_gateway_deployment.${api}_deployment`)).toBe(false);
      expect(reaches(graph, server(api), `aws_api_gateway_stage.${api}_stage`)).toBe(false);
      for (const other of apis.filter((a) => a !== api)) expect(reaches(graph, server(api), `aws_api_gateway_rest_api.${other}_rest_api`)).toBe(false);
    }
  });

  test("each app client waits for exactly the resource servers of the scopes it holds", () => {
    for (const [name, body] of Object.entries(stack.json.resource.aws_cognito_user_pool_client!)) {
      const held = new Set(((body as { allowed_oauth_scopes: string[] }).allowed_oauth_scopes).flatMap(referencesIn));
      for (const api of apis) expect([name, api, reaches(graph, `aws_cognito_user_pool_client.${name}`, server(api))]).toEqual([name, api, held.has(server(api))]);
    }
  });

  test("each API's document waits for its own resource server and its deployment for its own document, never for another API's", () => {
    for (const api of apis) {
      const put = `aws_api_gateway_rest_api_put.${api}_api`;
      expect(reaches(graph, put, server(api))).toBe(true);
      expect(reaches(graph, put, "aws_cognito_user_pool.user_pool")).toBe(true);
      expect((stack.json.resource.aws_api_gateway_deployment![`${api}_deployment`] as { depends_on: string[] }).depends_on).toEqual([put]);
      for (const other of apis.filter((a) => a !== api)) {
        for (const theirs of [server(other), `aws_api_gateway_rest_api.${other}_rest_api`, `aws_api_gateway_rest_api_put.${other}_api`, `aws_api_gateway_stage.${other}_stage`]) {
          expect([put, theirs, reachesNotThroughClients(graph, put, theirs)]).toEqual([put, theirs, false]);
          const stage = `aws_api_gateway_stage.${api}_stage`;
          expect([stage, theirs, reachesNotThroughClients(graph, stage, theirs)]).toEqual([stage, theirs, false]);
          // Never their document or stage, even through a client (a client waits for resource servers, which wait for REST APIs only).
          if (theirs.startsWith("aws_api_gateway_rest_api_put.") || theirs.startsWith("aws_api_gateway_stage.")) expect([put, theirs, reaches(graph, put, theirs)]).toEqual([put, theirs, false]);
        }
      }
    }
  });

  test("a scope checker waits for its own API's resource server and is invoked by its own API's document only", () => {
    for (const api of apis) {
      const checker = `aws_lambda_function.${api}_scope_checker`;
      if (!stack.json.resource.aws_lambda_function?.[`${api}_scope_checker`]) continue;
      expect(reaches(graph, checker, server(api))).toBe(true);
      expect(reaches(graph, `aws_api_gateway_rest_api_put.${api}_api`, checker)).toBe(true);
      for (const other of apis.filter((a) => a !== api)) {
        expect(reachesNotThroughClients(graph, checker, server(other))).toBe(false);
        expect(reaches(graph, `aws_api_gateway_rest_api_put.${other}_api`, checker)).toBe(false);
      }
    }
  });
});
