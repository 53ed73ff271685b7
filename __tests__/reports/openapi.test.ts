/**
 * openapi.json: valid OpenAPI 3.1 (checked by @apidevtools/swagger-parser), with the invoke URL
 * as server, the client-credentials flow, and per operation the security requirement its
 * authorizer enforces, its path parameters and its mock response.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { buildOpenApi, REST_API_ID_VARIABLE, SECURITY_SCHEME } from "../../reports/openapi";
import { accessOf, clientNamed, editedModel, modelOf } from "./config-fixtures";
import { apiDocumentOf, synthDefault } from "../support/synth";

type Doc = Record<string, any>;

async function validated(doc: Doc): Promise<void> {
  // The validator dereferences in place: give it a copy.
  await SwaggerParser.validate(structuredClone(doc) as never);
}

const DEV = "https://{restApiId}.execute-api.eu-west-1.amazonaws.com/dev";

describe("OpenAPI document of the default config", () => {
  const dev = buildOpenApi(accessOf(modelOf(), "dev")) as Doc;
  const prod = buildOpenApi(accessOf(modelOf(), "prod")) as Doc;

  it("validates as OpenAPI 3.1 in every environment", async () => {
    expect(dev.openapi).toBe("3.1.0");
    await validated(dev);
    await validated(prod);
  });

  it("serves from the invoke URL template, with a server variable for the REST API id", () => {
    expect(dev.servers).toHaveLength(1);
    expect(dev.servers[0].url).toBe(DEV);
    expect(dev.servers[0].url).toContain(`{${REST_API_ID_VARIABLE}}`);
    expect(typeof dev.servers[0].variables[REST_API_ID_VARIABLE].default).toBe("string");
  });

  it("describes the client-credentials flow with the token URL and every scope's full identifier", () => {
    const scheme = dev.components.securitySchemes[SECURITY_SCHEME];
    expect(scheme.type).toBe("oauth2");
    expect(scheme.flows.clientCredentials.tokenUrl).toBe("https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(scheme.flows.clientCredentials.scopes).toEqual({
      [`${DEV}/hello-world`]: "Call the hello-world endpoint",
      [`${DEV}/read`]: "Read premium content",
      [`${DEV}/write`]: "Create premium content",
      [`${DEV}/payments.read`]: "Read payment state",
      [`${DEV}/payments.write`]: "Initiate payments",
    });
    expect(prod.components.securitySchemes[SECURITY_SCHEME].flows.clientCredentials.tokenUrl).toBe(
      "https://m2m-demo-prod.auth.eu-west-1.amazoncognito.com/oauth2/token",
    );
  });

  it("requires, per operation, what its authorizer enforces (all-of: one requirement with every scope)", () => {
    expect(dev.paths["/premium"].get.security).toEqual([{ [SECURITY_SCHEME]: [`${DEV}/read`] }]);
    expect(dev.paths["/payments"].post.security).toEqual([{ [SECURITY_SCHEME]: [`${DEV}/payments.read`, `${DEV}/payments.write`] }]);
    expect(dev.paths["/payments"].post["x-m2m-scope-match"]).toBe("all-of");
    expect(dev.paths["/payments"].post["x-m2m-allowed-clients"]).toEqual(["billing"]);
  });

  it("gives each operation its mock response with an example body, and 401/403/429 where they occur", () => {
    const post = dev.paths["/premium"].post;
    expect(post.responses["201"].content["application/json"].example).toEqual({ created: true });
    expect(post.responses["401"]).toEqual({ $ref: "#/components/responses/Unauthorized" });
    expect(post.responses["429"]).toEqual({ $ref: "#/components/responses/TooManyRequests" });
    // dev: no WAF, no source-IP policy: only the scope checker answers 403.
    expect(post.responses["403"]).toBeUndefined();
    expect(dev.paths["/payments"].post.responses["403"]).toEqual({ $ref: "#/components/responses/Forbidden" });
    expect(dev.paths["/payments"].post.responses["202"].content["application/json"].example).toEqual({ status: "accepted" });
    // prod has WAF on: any route may be refused with 403.
    expect(prod.paths["/premium"].post.responses["403"]).toEqual({ $ref: "#/components/responses/Forbidden" });
    expect(prod.components.responses.Forbidden.description).toContain("WAF");
  });

  it("is deterministic, and its version follows the content", () => {
    expect(JSON.stringify(buildOpenApi(accessOf(modelOf(), "dev")))).toBe(JSON.stringify(dev));
    const changed = buildOpenApi(accessOf(editedModel((c) => void (c.routes[0].response.body = { message: "hi" })), "dev")) as Doc;
    expect(changed.info.version).not.toBe(dev.info.version);
  });
});

describe("OpenAPI document of routes with alternatives, parameters and ANY", () => {
  const model = editedModel((c) => {
    c.routes.push(
      { method: "GET", path: "/orders/{orderId}", scopes: ["read", "payments.read"], description: "Reads an order" },
      { method: "GET", path: "/files/{proxy+}", scopes: ["read"] },
      { method: "ANY", path: "/files/{proxy+}", scopes: ["write"], authorizer: "scope-checker", response: { status: 204 } },
    );
    c.environments[0].allowedSourceIps = ["203.0.113.0/24"];
    clientNamed(c, "billing").scopes = ["payments.read", "payments.write", "write"];
  });
  const doc = buildOpenApi(accessOf(model, "dev")) as Doc;

  it("still validates", async () => {
    await validated(doc);
  });

  it("is checked by a validator that does reject a broken document (control)", async () => {
    const broken = structuredClone(doc);
    delete broken.paths["/orders/{orderId}"].get.responses["200"].description;
    await expect(validated(broken)).rejects.toThrow(/description/);
  });

  it("declares every templated path parameter in every operation (the validator checks this for Swagger 2 only)", () => {
    for (const d of [doc, buildOpenApi(accessOf(modelOf(), "dev")) as Doc]) {
      for (const [path, item] of Object.entries<Record<string, any>>(d.paths)) {
        const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
        for (const operation of Object.values(item)) {
          const declared = (operation.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name).sort();
          expect([path, declared]).toEqual([path, templated]);
        }
      }
    }
  });

  it("lists one security requirement per alternative scope of an any-of route", () => {
    expect(doc.paths["/orders/{orderId}"].get.security).toEqual([
      { [SECURITY_SCHEME]: [`${DEV}/read`] },
      { [SECURITY_SCHEME]: [`${DEV}/payments.read`] },
    ]);
    expect(doc.paths["/orders/{orderId}"].get["x-m2m-allowed-clients"]).toEqual(["reader", "writer", "billing"]);
  });

  it("declares path parameters, the greedy one without its +", () => {
    expect(doc.paths["/orders/{orderId}"].get.parameters).toEqual([expect.objectContaining({ name: "orderId", in: "path", required: true })]);
    expect(doc.paths["/files/{proxy}"].get.parameters).toEqual([expect.objectContaining({ name: "proxy", in: "path", required: true })]);
  });

  it("expands ANY into every other method of the path, with no body for 204", () => {
    const item = doc.paths["/files/{proxy}"];
    expect(Object.keys(item).sort()).toEqual(["delete", "get", "head", "options", "patch", "post", "put"]);
    expect(item.get.operationId).toBe("get_files_proxy-greedy");
    expect(item.post.operationId).toBe("any_files_proxy-greedy_post");
    expect(item.post.security).toEqual([{ [SECURITY_SCHEME]: [`${DEV}/write`] }]);
    expect(item.post.responses["204"].content).toBeUndefined();
    const operationIds = Object.values(doc.paths).flatMap((p: any) => Object.values(p).map((o: any) => o.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it("answers 403 on every route once a source-IP policy guards the environment", () => {
    expect(doc.paths["/premium"].get.responses["403"]).toEqual({ $ref: "#/components/responses/Forbidden" });
    expect(doc.components.responses.Forbidden.description).toContain("203.0.113.0/24");
  });
});

describe("OpenAPI 401 and 403 challenges, against the synthesized gateway responses", () => {
  // The deployed stack's UNAUTHORIZED and ACCESS_DENIED gateway responses, as `npm run synth` writes them.
  const stacks = synthDefault();
  const challengeOf = (env: string, type: "UNAUTHORIZED" | "ACCESS_DENIED"): string => {
    const value = apiDocumentOf(stacks[env]!)["x-amazon-apigateway-gateway-responses"][type].responseParameters["gatewayresponse.header.WWW-Authenticate"] as string;
    return value.replace(/^'(.*)'$/, "$1"); // API Gateway's static header values are single-quoted
  };

  it.each(["dev", "prod"])("%s: 401 and 403 state exactly the WWW-Authenticate value the stack sends", (env) => {
    const doc = buildOpenApi(accessOf(modelOf(), env)) as Doc;
    const header = (response: string) => {
      const ref: string = doc.components.responses[response].headers["WWW-Authenticate"].$ref;
      return doc.components.headers[ref.replace("#/components/headers/", "")];
    };
    expect(header("Unauthorized").schema.const).toBe(challengeOf(env, "UNAUTHORIZED"));
    expect(header("Forbidden").schema.const).toBe(challengeOf(env, "ACCESS_DENIED"));
    expect(header("Unauthorized").schema.const).toBe('Bearer realm="m2m-demo-api"');
  });

  it("never cites an error code the stack does not send (invalid_token)", () => {
    for (const env of ["dev", "prod"]) {
      const text = JSON.stringify(buildOpenApi(accessOf(modelOf(), env)));
      expect(text).not.toContain("invalid_token");
      expect(stacks[env]!.text).not.toContain("invalid_token");
    }
  });

  it("declares the 403 challenge only where a 403 can occur, and stays valid OpenAPI 3.1", async () => {
    const noForbidden = buildOpenApi(accessOf(editedModel((c) => void (c.routes = c.routes.filter((r: { authorizer?: string }) => r.authorizer !== "scope-checker"))), "dev")) as Doc;
    expect(noForbidden.components.responses.Forbidden).toBeUndefined();
    expect(Object.keys(noForbidden.components.headers)).toEqual(["UnauthorizedChallenge"]);
    await validated(noForbidden);
  });
});
