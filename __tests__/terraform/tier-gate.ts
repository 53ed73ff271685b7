/**
 * Gating for the Terraform tiers: where terraform, the provider mirror or moto_server is
 * missing, the suite is declared with `describe.skip` and its title says why, so jest reports
 * it as skipped (never as passed). On the project's machines everything is present; in CI
 * (CI set) a missing tool fails the tier instead: CI proves the tiers or goes red.
 */
import { missingMotoServer } from "../../verify/moto-server";
import { missingTerraformTools } from "../../verify/terraform-cli";

export function terraformTierDescribe(needsEmulator: boolean): { describe: jest.Describe; title: (t: string) => string } {
  const missing = missingTerraformTools() ?? (needsEmulator ? missingMotoServer() : undefined);
  if (missing && process.env.CI) throw new Error(`the real-Terraform tier cannot run in CI: ${missing}`);
  if (missing) console.warn(`SKIPPED (${missing}): the real-Terraform tier did not run`);
  return { describe: missing ? describe.skip : describe, title: (t) => (missing ? `${t} [SKIPPED: ${missing}]` : t) };
}
