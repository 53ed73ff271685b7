/**
 * `npm run verify:terraform`: every stack of the default, all-options, per-team, partner-edge and
 * large configs through real Terraform (validate, plan). `npm run verify:emulator`: every stack of
 * the default, all-options, per-team and partner-edge configs applied to moto_server, then re-planned (must be empty).
 * One line per stack and a total. Terraform runs for real every time (a result kept by
 * `npm test` for the same bytes is used only with --reuse). Exit codes: 0 all good, 1 a stack failed (Terraform's own
 * message first), 2 usage, 3 the tools are missing on this machine (nothing was verified).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { missingMotoServer } from "./moto-server";
import { missingTerraformTools } from "./terraform-cli";
import { eachLimited, emulateStack, emulatorLines, planLine, planStack } from "./tiers";
import { synthesizeStacks, VERIFIED_CONFIGS, type SynthesizedStackDir } from "./verified-configs";

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_TOOLS_MISSING = 3;

async function main(argv: readonly string[]): Promise<number> {
  const tier = argv[0];
  if (tier !== "plan" && tier !== "emulator") {
    console.error("usage: tsx verify/cli.ts plan|emulator [--keep] [--reuse]");
    return EXIT_USAGE;
  }
  if (!argv.includes("--reuse")) process.env.M2M_TF_RESULTS = "fresh";
  const missing = missingTerraformTools() ?? (tier === "emulator" ? missingMotoServer() : undefined);
  if (missing) {
    console.error(`verify ${tier}: not run: ${missing}`);
    return EXIT_TOOLS_MISSING;
  }
  const workRoot = fs.mkdtempSync(path.join(os.tmpdir(), `m2m-verify-${tier}-`));
  const started = Date.now();
  try {
    const names = tier === "plan" ? (["default", "all-options", "per-team", "partner-edge", "large"] as const) : (["default", "all-options", "per-team", "partner-edge"] as const);
    const stacks: SynthesizedStackDir[] = names.flatMap((name) => {
      const { config } = VERIFIED_CONFIGS[name]();
      return synthesizeStacks(name, config, path.join(workRoot, "synth", name));
    });
    let failed = 0;
    if (tier === "plan") {
      const outcomes = await eachLimited(stacks, 2, (s) => planStack(s, workRoot));
      let resources = 0;
      for (const o of outcomes) {
        if (o.ok) {
          console.log(planLine(o.result));
          resources += o.result.toAdd;
        } else {
          failed++;
          console.log(`${o.label}: FAILED\n${o.error.message}`);
        }
      }
      console.log(`total: ${stacks.length - failed}/${stacks.length} stacks validate and plan, ${resources} resources to add, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } else {
      const outcomes = await eachLimited(stacks, 2, (s) => emulateStack(s, workRoot));
      for (const o of outcomes) {
        if (o.ok) {
          for (const line of emulatorLines(o.result)) console.log(line);
          if (o.result.replan.length > 0) failed++;
        } else {
          failed++;
          console.log(`${o.label}: FAILED\n${o.error.message}`);
        }
      }
      console.log(`total: ${stacks.length - failed}/${stacks.length} stacks apply to the emulator and re-plan empty, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    return failed > 0 ? EXIT_FAILED : 0;
  } finally {
    if (argv.includes("--keep")) console.log(`working copies kept in ${workRoot}`);
    else fs.rmSync(workRoot, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`verify: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILED;
  },
);
