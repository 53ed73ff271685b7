/**
 * The Terraform providers an environment's stack requires, exactly as synth writes them in
 * `terraform.required_providers`: the versions come from the provider classes the stacks use
 * (@cdktn/provider-aws, @cdktn/provider-archive pin them), read by synthesizing those providers
 * alone, so `m2m doctor` checks what `terraform init` will ask for without a full synth.
 * hashicorp/archive is required only by a stack that zips a function (a scope checker, a backend
 * handler of this repository, or the secret rotation function), as constructs/m2m-stack.ts adds it.
 */
import { ArchiveProvider } from "@cdktn/provider-archive/lib/provider";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktn";
import type { Environment, M2MModel } from "../model/model-types";

export interface RequiredProvider {
  /** The local name in `required_providers`: `aws`, `archive`. */
  readonly name: string;
  /** `hashicorp/aws` */
  readonly source: string;
  /** The exact version the stacks pin. */
  readonly version: string;
}

let pins: ReadonlyMap<string, RequiredProvider> | undefined;

/** Every provider the stacks can require, by local name, as the provider classes pin them. */
export function providerPins(): ReadonlyMap<string, RequiredProvider> {
  if (pins) return pins;
  const stack = new TerraformStack(Testing.app(), "required-providers");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new ArchiveProvider(stack, "archive");
  const required = (stack.toTerraform() as { terraform: { required_providers: Record<string, { source: string; version: string }> } }).terraform.required_providers;
  pins = new Map(Object.entries(required).map(([name, p]) => [name, { name, source: p.source, version: p.version }]));
  return pins;
}

/** Whether the environment's stack zips a function (and so needs hashicorp/archive). */
function zipsAFunction(model: M2MModel, env: Environment): boolean {
  return (
    model.apis.some((a) => a.backendFunctions.length > 0 || a.routes.some((r) => r.authorizer === "scope-checker")) ||
    env.clients.some((c) => c.secretRotationDays !== undefined && !c.disabled)
  );
}

/** The providers the environment's stack requires, sorted by local name (as synth writes them). */
export function requiredProviders(model: M2MModel, env: Environment): RequiredProvider[] {
  const all = providerPins();
  return [all.get("aws")!, ...(zipsAFunction(model, env) ? [all.get("archive")!] : [])].sort((a, b) => a.name.localeCompare(b.name));
}
