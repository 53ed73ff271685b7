/**
 * The state sanitizer (.github/scripts/sanitize-state.js) the trusted snapshot job runs before a
 * pull request may plan against the state. The fixture is a hand-built Terraform 1.11 state of
 * the prod stack's shape (format version 4, sensitive_attributes paths, provider private data,
 * a sensitive output) and an excerpt of `terraform providers schema -json` for aws 6.25 of the
 * same types: no provider can be installed here (no registry, no AWS account).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../support/synth";

const ROOT = resolve(__dirname, "..", "..");
const SCRIPT = join(ROOT, ".github", "scripts", "sanitize-state.js");
const STATE = join(__dirname, "fixtures", "terraform-1.11-state.json");
const SCHEMA = join(__dirname, "fixtures", "aws-provider-schema-excerpt.json");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sanitizeState } = require(SCRIPT) as { sanitizeState(state: unknown, schema: unknown): { state: any; removedPaths: string[]; copyPaths: string[] } };

const state = JSON.parse(readFileSync(STATE, "utf8"));
const schema = JSON.parse(readFileSync(SCHEMA, "utf8"));
const SECRET = state.resources.find((r: any) => r.type === "aws_cognito_user_pool_client").instances[0].attributes.client_secret as string;

describe("state sanitizer", () => {
  const { state: clean, removedPaths, copyPaths } = sanitizeState(state, schema);
  const text = JSON.stringify(clean);

  it("removes every value the schema or sensitive_attributes marks, and every copy of one elsewhere", () => {
    expect(text).not.toContain(SECRET);
    expect(removedPaths).toEqual([
      "aws_cognito_user_pool_client.client_billing.client_secret",
      "aws_secretsmanager_secret_version.client_secret_billing.secret_binary", // "" but sensitive: removed all the same
      "aws_secretsmanager_secret_version.client_secret_billing.secret_string",
      "output.client_secrets",
    ]);
    // The secret copied into tags_all (provider default_tags) is found by value and removed too.
    expect(copyPaths).toEqual(["resources[3].instances[0].attributes.tags_all.Leak"]);
    expect(clean.outputs.client_secrets.value).toBeNull();
    expect(clean.resources.every((r: any) => r.instances.every((i: any) => i.private === undefined))).toBe(true);
  });

  it("keeps everything else a plan needs: format, lineage, ids, non-sensitive attributes and outputs", () => {
    expect([clean.version, clean.terraform_version, clean.serial, clean.lineage]).toEqual([4, "1.11.4", 17, state.lineage]);
    const client = clean.resources[1].instances[0].attributes;
    expect(client.id).toBe(state.resources[1].instances[0].attributes.id);
    expect(client.allowed_oauth_scopes).toEqual(state.resources[1].instances[0].attributes.allowed_oauth_scopes);
    expect(clean.resources[1].instances[0].sensitive_attributes).toEqual(state.resources[1].instances[0].sensitive_attributes);
    expect(clean.outputs.invoke_url).toEqual(state.outputs.invoke_url);
    expect(clean.resources[0].instances[0].attributes.account_id).toBe("123456789012");
  });

  it("removes the project's secrets even when the schema given does not mark them (wrong provider version)", () => {
    const unmarked = structuredClone(schema);
    delete unmarked.provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas.aws_cognito_user_pool_client.block.attributes.client_secret.sensitive;
    const noPaths = structuredClone(state);
    noPaths.resources[1].instances[0].sensitive_attributes = [];
    expect(JSON.stringify(sanitizeState(noPaths, unmarked).state)).not.toContain(SECRET);
  });

  it("follows index steps of sensitive_attributes into nested values", () => {
    const nested = structuredClone(state);
    nested.resources[3].instances[0].attributes.tags = { Token: "a-long-nested-token-value" };
    nested.resources[3].instances[0].sensitive_attributes = [[{ type: "get_attr", value: "tags" }, { type: "index", value: { value: "Token", type: "string" } }]];
    const out = sanitizeState(nested, schema);
    expect(out.state.resources[3].instances[0].attributes.tags).toEqual({ Token: null });
    expect(out.removedPaths).toContain('aws_sns_topic.alarms.tags["Token"]');
  });

  it("fails closed: a type the schema does not describe, or not a version-4 state, publishes nothing", () => {
    const unknown = structuredClone(state);
    unknown.resources.push({ mode: "managed", type: "aws_iam_access_key", name: "k", instances: [{ attributes: { secret: "x" } }] });
    expect(() => sanitizeState(unknown, schema)).toThrow(/no schema for managed aws_iam_access_key/);
    expect(() => sanitizeState({ ...state, version: 3 }, schema)).toThrow(/format version 4/);
  });

  it("the CLI writes the snapshot and prints paths and counts, never a value; refuses duplicate keys", () => {
    const dir = tempDir("sanitize");
    const out = join(dir, "snapshot.json");
    const run = spawnSync(process.execPath, [SCRIPT, STATE, SCHEMA, out], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`sanitize-state: 4 sensitive value(s) removed, 1 copy(ies) of them removed elsewhere (resources[3].instances[0].attributes.tags_all.Leak) -> ${out}\n`);
    expect(readFileSync(out, "utf8")).not.toContain(SECRET);
    const dup = join(dir, "dup.json");
    writeFileSync(dup, readFileSync(STATE, "utf8").replace(/^\{/, '{"resources": [],'));
    const refused = spawnSync(process.execPath, [SCRIPT, dup, SCHEMA, join(dir, "x.json")], { encoding: "utf8" });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^::error title=state snapshot not published::duplicate key "resources"/);
    expect(refused.stdout).not.toContain(SECRET);
  });
});
