/** Reading `cdktf deploy --outputs-file` output. */
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

describe("readStackOutputs", () => {
  it("reads one environment's outputs (trailing slash of the invoke URL dropped)", () => {
    expect(readStackOutputs(file({ dev, prod: {} }), "dev")).toEqual({
      invokeUrl: "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev",
      tokenEndpoint: dev.token_endpoint,
      clientIds: dev.client_ids,
      clientSecretArns: dev.client_secret_arns,
    });
  });

  it("names the problem: missing file, not JSON, unknown environment, missing or mistyped outputs", () => {
    const missing = join(dir, "nope.json");
    expect(() => readStackOutputs(missing, "dev")).toThrow(new StackOutputsError(`${missing} not found: write it with \`cdktf deploy --outputs-file ${missing}\``));
    const notJson = file("{");
    expect(() => readStackOutputs(notJson, "dev")).toThrow(`${notJson} is not a JSON outputs file`);
    const onlyDev = file({ dev });
    expect(() => readStackOutputs(onlyDev, "prod")).toThrow(`${onlyDev} has no outputs for environment "prod" (it has: dev)`);
    const partial = file({ dev: { invoke_url: "x" } });
    expect(() => readStackOutputs(partial, "dev")).toThrow(`lacks the output(s) token_endpoint, client_ids, client_secret_arns`);
    const mistyped = file({ dev: { ...dev, client_secret_arns: ["a"] } });
    expect(() => readStackOutputs(mistyped, "dev")).toThrow("has outputs of the wrong type");
  });
});
