/**
 * Tier 2: every stack of the default, all-options, per-team and partner-edge configs applied to moto_server (its own
 * emulator per stack, on a free 127.0.0.1 port), then re-planned with refresh: the plan must
 * say "no changes". A non-empty re-plan fails with the exact attributes that differ.
 * Resources moto cannot serve are left out by verify/emulator-exclusions (printed, never silent).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { eachLimited, emulateStack, emulatorLines, type EmulatorTierResult, type StackOutcome } from "../../verify/tiers";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { terraformTierDescribe } from "./tier-gate";

const gate = terraformTierDescribe(true);
const STACKS = [
  ["default", "dev"],
  ["default", "prod"],
  ["all-options", "live"],
  ["per-team", "dev"],
  ["per-team", "prod"],
  ["partner-edge", "dev"],
  ["partner-edge", "prod"],
] as const;

gate.describe(gate.title("apply every stack to the emulator, then re-plan empty"), () => {
  jest.setTimeout(900_000);
  let root: string;
  let outcomes: Promise<Map<string, StackOutcome<EmulatorTierResult>>>;

  beforeAll(() => {
    root = tempDir("tf-emulator");
    const stacks = (["default", "all-options", "per-team", "partner-edge"] as const).flatMap((name) => synthesizeStacks(name, VERIFIED_CONFIGS[name]().config, path.join(root, "synth", name)));
    const started = Date.now();
    outcomes = eachLimited(stacks, 2, (s) => emulateStack(s, root)).then((list) => {
      console.log(`emulator tier: ${list.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return new Map(list.map((o) => [o.label, o]));
    });
  });
  afterAll(async () => {
    await outcomes?.catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test.each(STACKS)("%s/%s applies and re-plans with no changes", async (config, environment) => {
    const outcome = (await outcomes).get(`${config}/${environment}`)!;
    if (!outcome.ok) throw outcome.error;
    const lines = emulatorLines(outcome.result);
    console.log(lines.join("\n"));
    expect(outcome.result.applied).toBeGreaterThan(20);
    // The diff lines are the failure message: address, attribute path, before → after.
    expect(outcome.result.replanDiffs).toEqual([]);
  });
});
