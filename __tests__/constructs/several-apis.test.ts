/**
 * Several APIs in one pool (issue 11), on real synth output: one user pool, domain and app
 * clients per environment; per API its REST API, resource server keyed to ITS invoke URL, its
 * OpenAPI document whose authorizers accept only its own resource server's scopes, its scope
 * checker admitting only the clients granted its scopes for its routes, its backend functions;
 * one usage plan per tier on every stage; outputs by API; the `Api` tag per API; `moved` blocks
 * for an API moved from the one-API form; and the one-API form left as it was.
 */
import defaultConfig from "../../m2m.config";
import singleApiConfig from "../fixtures/single-api.config";
import movedConfig from "../terraform/fixtures/moved-from-single-api.config";
import multiApiConfig from "../security/fixtures/multi-api.config";
import { OUTPUT_NAMES } from "../../client/stack-outputs";
import { scopeCheckerAllowList } from "../../model/access";
import type { M2MConfigInput } from "../../model/config-types";
import type { M2MModel } from "../../model/model-types";
import { validateConfig } from "../../model/validate";
import { resourceOf, resourcesOf, synthModel, type SynthesizedStack } from "../support/synth";

const COGNITO = "cognito-user-pool";
const CHECKER = "scope-checker";

function synth(config: M2MConfigInput): { model: M2MModel; stacks: Record<string, SynthesizedStack> } {
  const model = validateConfig(config);
  return { model, stacks: synthModel(model) };
}

const multi = synth(multiApiConfig);
const byDefault = synth(defaultConfig);

/** The parsed OpenAPI document of one API's put. */
function documentOf(stack: SynthesizedStack, api: string): Record<string, any> {
  return JSON.parse(resourceOf(stack, "aws_api_gateway_rest_api_put", `${api}_api`).body as string);
}

function operations(document: Record<string, any>): [string, Record<string, any>][] {
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Record<string, any>]));
}

const serverRef = (api: string) => `\${aws_cognito_resource_server.${api}_resource_server.identifier}`;

describe.each([
  ["default config", byDefault],
  ["multi-api fixture", multi],
] as const)("%s", (_label, { model, stacks }) => {
  describe.each(model.environments.map((e) => [e.name, e] as const))("stack %s", (envName, env) => {
    const stack = stacks[envName]!;

    test("one user pool and domain; one resource server per API, in that pool, keyed to its own REST API's invoke URL", () => {
      expect(Object.keys(resourcesOf(stack, "aws_cognito_user_pool"))).toEqual(["user_pool"]);
      expect(Object.keys(resourcesOf(stack, "aws_cognito_user_pool_domain"))).toEqual(["user_pool_domain"]);
      expect(resourceOf(stack, "aws_cognito_user_pool", "user_pool").name).toBe(`${model.name}-${envName}`);
      expect(Object.keys(resourcesOf(stack, "aws_cognito_resource_server")).sort()).toEqual(model.apis.map((a) => `${a.name}_resource_server`).sort());
      for (const api of model.apis) {
        const server = resourceOf(stack, "aws_cognito_resource_server", `${api.name}_resource_server`);
        expect(server.user_pool_id).toBe("${aws_cognito_user_pool.user_pool.id}");
        expect(server.identifier).toBe(`https://\${aws_api_gateway_rest_api.${api.name}_rest_api.id}.execute-api.${env.region}.amazonaws.com/${env.stageName}`);
        expect(server.name).toBe(api.resourceServerName);
        expect(server.scope.map((s: { scope_name: string }) => s.scope_name)).toEqual(api.scopes.map((s) => s.name));
        expect(resourceOf(stack, "aws_api_gateway_rest_api", `${api.name}_rest_api`).name).toBe(`${api.name}-${envName}`);
      }
    });

    test("each app client is allowed exactly its grants, across the APIs' resource servers", () => {
      const clients = resourcesOf(stack, "aws_cognito_user_pool_client");
      expect(Object.keys(clients).sort()).toEqual(env.clients.filter((c) => !c.disabled).map((c) => `client_${c.name}`).sort());
      for (const client of env.clients.filter((c) => !c.disabled)) {
        expect([client.name, resourceOf(stack, "aws_cognito_user_pool_client", `client_${client.name}`).allowed_oauth_scopes]).toEqual([
          client.name,
          client.scopes.map((g) => `${serverRef(g.api)}/${g.scope}`),
        ]);
      }
      // Somebody holds scopes of two APIs: the pool really is shared.
      expect(env.clients.some((c) => new Set(c.scopes.map((g) => g.api)).size > 1)).toBe(true);
    });

    test("each API's document: its routes only, and its authorizers accept only its own resource server's scopes", () => {
      for (const api of model.apis) {
        const document = documentOf(stack, api.name);
        const ops = operations(document);
        expect(ops.map(([id]) => id).sort()).toEqual(api.routes.map((r) => `${r.method} ${r.path}`).sort());
        for (const route of api.routes) {
          const [, op] = ops.find(([id]) => id === `${route.method} ${route.path}`)!;
          const [requirement] = op.security as Record<string, string[]>[];
          if (route.authorizer === "cognito") expect(requirement![COGNITO]).toEqual(route.scopes.map((s) => `${serverRef(api.name)}/${s}`));
          else expect(Object.keys(requirement!)).toContain(CHECKER);
          // No scope of another API's resource server anywhere in this document.
          for (const other of model.apis.filter((a) => a.name !== api.name)) expect(JSON.stringify(op)).not.toContain(`${other.name}_resource_server`);
        }
        expect(document.info.title).toBe(`${api.name}-${envName}`);
        const checker = document.components.securitySchemes[CHECKER];
        if (api.routes.some((r) => r.authorizer === "scope-checker")) {
          expect(checker["x-amazon-apigateway-authorizer"].authorizerUri).toBe(`\${aws_lambda_function.${api.name}_scope_checker.invoke_arn}`);
        } else expect(checker).toBeUndefined();
      }
    });

    test("each scope checker: its own resource server, only its API's routes, only the clients granted its scopes", () => {
      const checkerApis = model.apis.filter((a) => a.routes.some((r) => r.authorizer === "scope-checker"));
      expect(Object.keys(resourcesOf(stack, "aws_lambda_layer_version")).sort()).toEqual(checkerApis.map((a) => `${a.name}_scope_checker_access`).sort());
      for (const api of checkerApis) {
        const fn = resourceOf(stack, "aws_lambda_function", `${api.name}_scope_checker`);
        expect(fn.function_name).toBe(`${api.name}-${envName}-scope-checker`);
        expect(fn.environment.variables.RESOURCE_SERVER_ID).toBe(serverRef(api.name));
        const access = stack.json.data!.archive_file![`${api.name}_scope_checker_access`] as Record<string, any>;
        const allowed = scopeCheckerAllowList(env.clients, api.routes).map((c) => `aws_cognito_user_pool_client.client_${c.name}.id`);
        expect(allowed.length).toBeGreaterThan(0);
        expect(access.source_content).toBe(
          `\${jsonencode({"clientIds" = [${allowed.join(", ")}], "routes" = [${api.routes
            .filter((r) => r.authorizer === "scope-checker")
            .map((r) => `{"method" = "${r.method}", "path" = "${r.path}", "scopes" = [${r.scopes.map((s) => `"${s}"`).join(", ")}]}`)
            .join(", ")}]})}`,
        );
        // Each API's access file is zipped to a path of its own.
        expect(access.output_path).toBe(`${api.name}-scope-checker-access.zip`);
        const permission = resourceOf(stack, "aws_lambda_permission", `${api.name}_scope_checker`);
        expect(permission.source_arn).toBe(`\${aws_api_gateway_rest_api.${api.name}_rest_api.execution_arn}/authorizers/*`);
      }
    });

    test("outputs: by API (invoke URLs, resource servers, scopes) beside the pool's and the clients'", () => {
      expect(Object.keys(stack.json.output).sort()).toEqual(["client_ids", "client_secret_arns", "client_secrets", "invoke_urls", "resource_server_identifiers", "scopes", "token_endpoint", "user_pool_id"]);
      const out = (name: string) => stack.json.output[name]!.value as Record<string, unknown>;
      expect(out("invoke_urls")).toEqual(Object.fromEntries(model.apis.map((a) => [a.name, `\${aws_api_gateway_stage.${a.name}_stage.invoke_url}`])));
      expect(out("resource_server_identifiers")).toEqual(Object.fromEntries(model.apis.map((a) => [a.name, serverRef(a.name)])));
      expect(out("scopes")).toEqual(Object.fromEntries(model.apis.map((a) => [a.name, a.scopes.map((s) => `${serverRef(a.name)}/${s.name}`)])));
      expect(Object.keys(out("client_ids")).sort()).toEqual(env.clients.filter((c) => !c.disabled).map((c) => c.name).sort());
      expect(stack.json.output.client_secrets!.sensitive).toBe(true);
      // What the CLI's outputs reader looks for, in this form.
      const { invokeUrl: _url, resourceServerIdentifier: _server, ...multiApiNames } = OUTPUT_NAMES;
      for (const name of Object.values(multiApiNames)) expect(Object.keys(stack.json.output)).toContain(name);
    });

    test("the pool's resources carry the server's name as Api tag (provider default), each API's resources their API's", () => {
      const provider = (stack.json.provider.aws as { default_tags: { tags: Record<string, string> }[] }[])[0]!;
      expect(provider.default_tags[0]!.tags.Api).toBe(model.name);
      expect(resourceOf(stack, "aws_cognito_user_pool", "user_pool").tags).toBeUndefined();
      for (const api of model.apis) {
        expect(resourceOf(stack, "aws_api_gateway_rest_api", `${api.name}_rest_api`).tags).toEqual({ Api: api.name });
        expect(resourceOf(stack, "aws_api_gateway_stage", `${api.name}_stage`).tags).toEqual({ Api: api.name });
      }
      // Every taggable resource of an API is tagged: none of its log groups, roles or functions is left with the server's.
      for (const type of ["aws_cloudwatch_log_group", "aws_iam_role", "aws_lambda_function"]) {
        for (const [name, body] of Object.entries(resourcesOf(stack, type))) {
          const api = model.apis.find((a) => name.startsWith(`${a.name}_`));
          expect([type, name, (body as { tags?: unknown }).tags]).toEqual([type, name, api ? { Api: api.name } : undefined]);
        }
      }
    });
  });
});

describe("per-API resources of the multi-api fixture", () => {
  const prod = multi.stacks.prod!;

  test("the same handler in two APIs: one function each, named <api>-<env>-<key>, zipped to paths of their own", () => {
    const functions = resourcesOf(prod, "aws_lambda_function");
    const key = multi.model.apis[0]!.backendFunctions[0]!.key;
    expect(multi.model.apis.map((a) => a.backendFunctions.map((f) => f.key))).toEqual([[key], [key]]);
    const name = `backend_${key.replace(/-/g, "_")}`;
    for (const api of multi.model.apis) {
      expect(functions[`${api.name}_${name}`]!.function_name).toBe(`${api.name}-prod-${key}`);
      expect((prod.json.data!.archive_file![`${api.name}_${name}`] as { output_path: string }).output_path).toBe(`${api.name}-${name}.zip`);
    }
    // Each permission names its own API's execution ARN and route.
    expect(resourceOf(prod, "aws_lambda_permission", "orders_backend_post_orders").source_arn).toBe("${aws_api_gateway_rest_api.orders_rest_api.execution_arn}/*/POST/orders");
    expect(resourceOf(prod, "aws_lambda_permission", "invoices_backend_post_invoices").source_arn).toBe("${aws_api_gateway_rest_api.invoices_rest_api.execution_arn}/*/POST/invoices");
  });

  test("one usage plan per tier, on every API's stage; one key per limited client", () => {
    const plans = resourcesOf(prod, "aws_api_gateway_usage_plan");
    expect(Object.keys(plans).sort()).toEqual(["usage_plan_client-partner", "usage_plan_unmetered"]);
    for (const plan of Object.values(plans)) {
      expect((plan as { api_stages: unknown[] }).api_stages).toEqual(
        multi.model.apis.map((a) => ({ api_id: `\${aws_api_gateway_rest_api.${a.name}_rest_api.id}`, stage: `\${aws_api_gateway_stage.${a.name}_stage.stage_name}` })),
      );
    }
    expect(Object.keys(resourcesOf(prod, "aws_api_gateway_api_key"))).toContain("usage_key_partner");
    for (const api of multi.model.apis) expect(resourceOf(prod, "aws_api_gateway_rest_api", `${api.name}_rest_api`).api_key_source).toBe("AUTHORIZER");
    // Each document requires the key on its own metered route only.
    const orders = documentOf(prod, "orders");
    expect(orders.paths["/orders"].post.security).toEqual([{ [CHECKER]: [], api_key: [] }]);
    expect(orders.paths["/orders"].get.security[0].api_key).toBeUndefined();
  });

  test("alarms per API on the stack's one topic, whose key admits the server's and each API's alarm names", () => {
    const alarms = Object.keys(resourcesOf(prod, "aws_cloudwatch_metric_alarm")).sort();
    expect(alarms).toEqual(
      [
        "cognito_token_throttles",
        // Production rotates secrets: one alarm for its rotation function.
        "secret_rotation_errors",
        ...multi.model.apis.flatMap((a) => [`${a.name}_api_4xx_spike`, `${a.name}_api_5xx_rate`, `${a.name}_scope_checker_fail_closed`, `${a.name}_scope_checker_throttles`]),
      ].sort(),
    );
    expect(resourceOf(prod, "aws_cloudwatch_metric_alarm", "orders_api_5xx_rate").alarm_name).toBe("orders-prod-api-5xx-rate");
    expect(resourceOf(prod, "aws_cloudwatch_metric_alarm", "orders_api_5xx_rate").dimensions).toEqual({ ApiName: "${aws_api_gateway_rest_api.orders_rest_api.name}", Stage: "prod" });
    expect(resourceOf(prod, "aws_cloudwatch_metric_alarm", "cognito_token_throttles").alarm_name).toBe("platform-prod-cognito-token-throttles");
    expect(Object.keys(resourcesOf(prod, "aws_sns_topic"))).toEqual(["alarms"]);
    const policy = resourceOf(prod, "aws_kms_key", "alarms").policy as string;
    for (const prefix of ["platform-prod", "orders-prod", "invoices-prod"]) expect(policy).toContain(`:alarm:${prefix}-*`);
  });

  test("WAF per API stage, one for the user pool", () => {
    expect(Object.keys(resourcesOf(prod, "aws_wafv2_web_acl_association")).sort()).toEqual(["invoices_api", "orders_api", "user_pool"]);
    expect(resourceOf(prod, "aws_wafv2_web_acl_association", "orders_api").resource_arn).toBe("${aws_api_gateway_stage.orders_stage.arn}");
    expect(resourceOf(prod, "aws_wafv2_web_acl", "orders_api").name).toBe("orders-prod-api");
  });

  test("adding an API renames nothing of the others: their addresses stay, only the new API's (and the plans' stages) are new", () => {
    const config = structuredClone(multiApiConfig) as { apis: any[] };
    config.apis.push({ ...structuredClone(config.apis[1]), name: "refunds", resourceServerName: "Refunds API" });
    const after = synthModel(validateConfig(config)).prod!;
    const addresses = (s: SynthesizedStack) => Object.entries(s.json.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
    const before = new Set(addresses(prod));
    const added = addresses(after).filter((a) => !before.has(a));
    expect([...before].filter((a) => !addresses(after).includes(a))).toEqual([]);
    expect(added.length).toBeGreaterThan(10);
    expect(added.filter((a) => !a.split(".")[1]!.startsWith("refunds_"))).toEqual([]);
  });
});

describe("an API moved from the one-API form", () => {
  const moved = synth(movedConfig);
  const single = synth(singleApiConfig);

  test.each(["dev", "prod"])("%s: a moved block for every managed resource of the API, from its one-API address", (env) => {
    const json = moved.stacks[env]!.json as unknown as { moved: { from: string; to: string }[]; resource: Record<string, Record<string, unknown>> };
    const prefixed = Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).filter((n) => n.startsWith("m2m_demo_api_")).map((n) => `${type}.${n}`));
    expect(json.moved.map((m) => m.to).sort()).toEqual(prefixed.sort());
    for (const { from, to } of json.moved) expect(from).toBe(to.replace(".m2m_demo_api_", "."));
    // Every source is an address the one-API form's stack has.
    const singleJson = single.stacks[env]!.json;
    for (const { from } of json.moved) {
      const [type, name] = from.split(".") as [string, string];
      expect([from, singleJson.resource[type]?.[name] !== undefined]).toEqual([from, true]);
    }
    // The archives keep the one-API paths (a layer version's file name cannot change in place).
    expect((json as any).data.archive_file.m2m_demo_api_scope_checker_access.output_path).toBe("scope-checker-access.zip");
  });

  test("the default config, whose APIs were never in the one-API form, declares no moves", () => {
    for (const stack of Object.values(byDefault.stacks)) expect((stack.json as unknown as Record<string, unknown>).moved).toBeUndefined();
  });
});

describe("the one-API form", () => {
  const { stacks } = synth(singleApiConfig);

  test.each(["dev", "prod"])("%s: unprefixed addresses, the outputs it always had, no moves and no per-resource Api tags", (env) => {
    const stack = stacks[env]!;
    expect(Object.keys(stack.json.output)).toEqual(["client_ids", "client_secret_arns", "client_secrets", "invoke_url", "resource_server_identifier", "scopes", "token_endpoint", "user_pool_id"]);
    expect(stack.json.output.invoke_url!.value).toBe("${aws_api_gateway_stage.stage.invoke_url}");
    expect(stack.json.output.resource_server_identifier!.value).toBe("${aws_cognito_resource_server.resource_server.identifier}");
    const { invokeUrls: _urls, resourceServerIdentifiers: _servers, ...singleApiNames } = OUTPUT_NAMES;
    for (const name of Object.values(singleApiNames)) expect(Object.keys(stack.json.output)).toContain(name);
    expect(Object.keys(resourcesOf(stack, "aws_api_gateway_rest_api"))).toEqual(["rest_api"]);
    expect(resourceOf(stack, "aws_api_gateway_rest_api", "rest_api").tags).toBeUndefined();
    expect((stack.json as unknown as Record<string, unknown>).moved).toBeUndefined();
  });
});
