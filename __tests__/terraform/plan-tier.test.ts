/**
 * Tier 1: every stack of the default (several APIs), all-options, per-team and large configs, synthesized for real,
 * through real Terraform (the mirror's hashicorp/aws 5.100.0): validate, then a plan of a new
 * stack (refresh off), read back with `terraform show -json`. Stacks run two at a time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { eachLimited, planLine, planStack, type PlanTierResult, type StackOutcome } from "../../verify/tiers";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { terraformTierDescribe } from "./tier-gate";

const gate = terraformTierDescribe(false);
const STACKS = [
  ["default", "dev"],
  ["default", "prod"],
  ["all-options", "live"],
  ["per-team", "dev"],
  ["per-team", "prod"],
  ["partner-edge", "dev"],
  ["partner-edge", "prod"],
  ["large", "dev"],
  ["large", "prod"],
] as const;

gate.describe(gate.title("terraform validate + plan of every synthesized stack"), () => {
  jest.setTimeout(600_000);
  let root: string;
  let outcomes: Promise<Map<string, StackOutcome<PlanTierResult>>>;

  beforeAll(() => {
    root = tempDir("tf-plan");
    const stacks = (["default", "all-options", "per-team", "partner-edge", "large"] as const).flatMap((name) =>
      synthesizeStacks(name, VERIFIED_CONFIGS[name]().config, path.join(root, "synth", name)),
    );
    expect(stacks.map((s) => s.label)).toEqual(STACKS.map(([c, e]) => `${c}/${e}`));
    const started = Date.now();
    outcomes = eachLimited(stacks, 2, (s) => planStack(s, root)).then((list) => {
      console.log(`plan tier: ${list.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return new Map(list.map((o) => [o.label, o]));
    });
  });
  afterAll(async () => {
    await outcomes?.catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test.each(STACKS)("%s/%s validates and plans only creations", async (config, environment) => {
    const outcome = (await outcomes).get(`${config}/${environment}`)!;
    if (!outcome.ok) throw outcome.error; // Terraform's own message first
    console.log(planLine(outcome.result));
    const actions = new Set(outcome.result.changes.map((c) => c.action));
    expect([...actions]).toEqual(["create"]);
    expect(outcome.result.toAdd).toBeGreaterThan(20);
  });
});
