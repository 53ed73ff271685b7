/** Reading `npm run deploy -- ENV --outputs-file` output. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStackOutputs, StackOutputsError } from "../../client/stack-outputs";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "m2m-outputs-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(contents: unknown): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof contents === "string" ? contents : JSON.stringify(contents));
  return path;
}

const dev = {
  invoke_url: "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev/",
  token_endpoint: "https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
  user_pool_id: "eu-west-1_AbC123xYz",
  client_ids: { reader: "id1" },
  client_secret_arns: { reader: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m2m-demo-api/dev/reader-AbCdEf" },
  scopes: ["https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev/read"],
};

/** A stack of several APIs: the per-API facts as maps by API name, beside the shared outputs. */
const multi = {
  token_endpoint: dev.token_endpoint,
  user_pool_id: dev.user_pool_id,
  client_ids: { "finance-reports": "id2" },
  client_secret_arns: { "finance-reports": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m2m-demo/dev/finance-reports-AbCdEf" },
  invoke_urls: { content: "https://aaaa111111.execute-api.eu-west-1.amazonaws.com/dev/", payments: "https://bbbb222222.execute-api.eu-west-1.amazonaws.com/dev" },
  resource_server_identifiers: { content: "https://aaaa111111.execute-api.eu-west-1.amazonaws.com/dev", payments: "https://bbbb222222.execute-api.eu-west-1.amazonaws.com/dev" },
  scopes: { content: ["https://aaaa111111.execute-api.eu-west-1.amazonaws.com/dev/read"], payments: ["https://bbbb222222.execute-api.eu-west-1.amazonaws.com/dev/read"] },
};

describe("readStackOutputs", () => {
  it("reads one environment's outputs (trailing slash of the invoke URL dropped)", () => {
    const invokeUrl = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev";
    expect(readStackOutputs(file({ dev, prod: {} }), "dev")).toEqual({
      invokeUrl,
      // The one-API form names no API; its identifier is its invoke URL when the stack does not list one.
      apis: [{ invokeUrl, resourceServerIdentifier: invokeUrl, scopes: dev.scopes }],
      tokenEndpoint: dev.token_endpoint,
      clientIds: dev.client_ids,
      clientSecretArns: dev.client_secret_arns,
    });
  });

  it("names the problem: missing file, not JSON, unknown environment, missing or mistyped outputs", () => {
    const missing = join(dir, "nope.json");
    expect(() => readStackOutputs(missing, "dev")).toThrow(new StackOutputsError(`${missing} not found: write it with \`npm run deploy -- ENV --outputs-file ${missing}\``));
    const notJson = file("{");
    expect(() => readStackOutputs(notJson, "dev")).toThrow(`${notJson} is not a JSON outputs file`);
    const onlyDev = file({ dev });
    expect(() => readStackOutputs(onlyDev, "prod")).toThrow(`${onlyDev} has no outputs for environment "prod" (it has: dev)`);
    expect(() => readStackOutputs(file({ dev: { token_endpoint: "t", client_ids: {}, client_secret_arns: {} } }), "dev")).toThrow("lacks the output(s) invoke_url (or invoke_urls)");
    expect(() => readStackOutputs(file({ dev: { ...multi, invoke_urls: { content: 1 } } }), "dev")).toThrow("has outputs of the wrong type");
    expect(() => readStackOutputs(file({ dev: { ...multi, resource_server_identifiers: ["x"] } }), "dev")).toThrow("has outputs of the wrong type");
    const partial = file({ dev: { invoke_url: "x" } });
    expect(() => readStackOutputs(partial, "dev")).toThrow(`lacks the output(s) token_endpoint, client_ids, client_secret_arns`);
    const mistyped = file({ dev: { ...dev, client_secret_arns: ["a"] } });
    expect(() => readStackOutputs(mistyped, "dev")).toThrow("has outputs of the wrong type");
  });

  it("reads a stack of several APIs: every API with its URL, identifier and scopes, the first as invokeUrl", () => {
    const content = "https://aaaa111111.execute-api.eu-west-1.amazonaws.com/dev";
    const payments = "https://bbbb222222.execute-api.eu-west-1.amazonaws.com/dev";
    expect(readStackOutputs(file({ dev: multi }), "dev")).toEqual({
      invokeUrl: content,
      apis: [
        { name: "content", invokeUrl: content, resourceServerIdentifier: content, scopes: multi.scopes.content },
        { name: "payments", invokeUrl: payments, resourceServerIdentifier: payments, scopes: multi.scopes.payments },
      ],
      tokenEndpoint: multi.token_endpoint,
      clientIds: multi.client_ids,
      clientSecretArns: multi.client_secret_arns,
    });
  });

  it("takes the invoke URLs alone: identifiers default to them, scopes are optional", () => {
    const { resource_server_identifiers: _ids, scopes: _scopes, ...urlsOnly } = multi;
    expect(readStackOutputs(file({ dev: urlsOnly }), "dev").apis.map((a) => [a.name, a.resourceServerIdentifier, a.scopes])).toEqual([
      ["content", "https://aaaa111111.execute-api.eu-west-1.amazonaws.com/dev", undefined],
      ["payments", "https://bbbb222222.execute-api.eu-west-1.amazonaws.com/dev", undefined],
    ]);
  });
});
