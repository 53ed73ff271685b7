/**
 * `npm run check:security` as CI runs it (a child process): a table per stack and exit 0 on the
 * default config; exit 1 naming the address on a broken synth output; one line per config
 * problem or user mistake, never a stack trace.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ALL_RULES } from "../../security/all-rules";
import defaultConfig from "../../m2m.config";
import { synthConfig, tempDir } from "../support/synth";

const root = path.join(__dirname, "..", "..");

/** As the npm script runs it: `node bin/run.js security/cli.ts` (compiled ahead). */
function checkSecurity(...args: string[]) {
  const { M2M_CONFIG: _ignored, ...env } = process.env; // the default config unless --config says otherwise
  const result = spawnSync(process.execPath, ["bin/run.js", "security/cli.ts", ...args], { cwd: root, encoding: "utf8", env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run check:security", () => {
  test("synthesizes the default config and prints a passing table per stack", () => {
    const { status, stdout, stderr } = checkSecurity();
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toMatch(/^stack dev \(development, access logs off\)$/m);
    expect(stdout).toMatch(/^stack prod \(production, access logs on\)$/m);
    for (const rule of ALL_RULES) expect(stdout.split(rule.id).length - 1).toBe(2); // one row per stack
    expect(stdout).not.toMatch(/FAIL/);
    expect(stdout.trim().split("\n").pop()).toBe(`security rules: PASS (${ALL_RULES.length} rules on 2 stacks: dev, prod)`);
  });

  test("fails on a broken synth output, naming rule, stack and address", () => {
    const outdir = tempDir("security-cli");
    const stacks = synthConfig(defaultConfig, outdir);
    const json = structuredClone(stacks.prod.json);
    const put = json.resource.aws_api_gateway_rest_api_put.content_api;
    const document = JSON.parse(put.body as string);
    document.paths["/premium"].get.security = [{ "cognito-user-pool": [] }];
    put.body = JSON.stringify(document);
    fs.writeFileSync(path.join(outdir, "stacks", "prod", "cdk.tf.json"), JSON.stringify(json));

    const { status, stdout, stderr } = checkSecurity("--stacks", outdir);
    expect(status).toBe(1);
    expect(stdout).toMatch(/M2M-API-002 +2 +FAIL /); // both APIs' documents checked, one fails
    expect(stdout).toMatch(/- aws_api_gateway_rest_api_put\.content_api: GET \/premium uses cognito-user-pool with no authorization scopes/);
    expect(stderr.trim()).toBe("security rules: FAIL (1 finding in 1 rule check: prod/M2M-API-002)");
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test("an invalid config: one line per problem, exit 1, nothing else", () => {
    const dir = tempDir("security-config");
    const file = path.join(dir, "bad.config.ts");
    const config = {
      api: { name: "bad-api", resourceServerName: "Bad", scopes: [{ name: "read", description: "Read" }] },
      routes: [{ method: "GET", path: "/x", scopes: ["read"] }],
      clients: [],
      environments: [{ name: "dev", region: "eu-west-1", domainPrefix: "bad-dev", stageName: "dev", logRetentionDays: 13, waf: { enabled: true, rateLimitPer5Minutes: 5 } }],
    };
    fs.writeFileSync(file, `export default ${JSON.stringify(config)};\n`);

    const { status, stdout, stderr } = checkSecurity("--config", file);
    expect(status).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^check:security: .*bad\.config\.ts is invalid \(2 problems\); nothing was done$/);
    expect(lines.some((l) => /environments\[0\]\.logRetentionDays: must be one of CloudWatch's retention values .*\(got 13\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /environments\[0\]\.waf\.rateLimitPer5Minutes: .*\(got 5\)$/.test(l))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("user mistakes get one line", () => {
    const unknown = checkSecurity("--stack", "x");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^check:security: unknown argument "--stack"; usage: /)]);

    const missing = checkSecurity("--stacks", path.join(tempDir("security-empty"), "nowhere"));
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^check:security: stacks directory .* does not exist$/)]);
  });
});
