/**
 * The configs the Terraform tiers run: the default config (several APIs), the all-options test
 * config (every option on, the one-API form), the per-team example (team files merged by the
 * loader), the partner-edge example (custom domains, mutual TLS, certificate-bound clients) and the large generated config of the benchmarks. Each is validated and
 * synthesized for real, into a directory of the run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { largeConfig } from "../bench/large-config";
import { synthesizeApp } from "../constructs/m2m-app";
import defaultConfig from "../m2m.config";
import type { M2MConfigInput } from "../model/config-types";
import { loadConfigFile } from "../model/load-config";
import { validateConfig } from "../model/validate";
import allOptionsConfig from "../__tests__/security/fixtures/all-options.config";

export interface VerifiedConfig {
  readonly name: string;
  readonly config: M2MConfigInput;
}

export const VERIFIED_CONFIGS: Readonly<Record<"default" | "all-options" | "per-team" | "partner-edge" | "large", () => VerifiedConfig>> = {
  default: () => ({ name: "default", config: defaultConfig }),
  "all-options": () => ({ name: "all-options", config: allOptionsConfig }),
  "per-team": () => ({ name: "per-team", config: loadConfigFile(path.join(__dirname, "..", "examples", "per-team", "m2m.config.ts")) as M2MConfigInput }),
  "partner-edge": () => ({ name: "partner-edge", config: loadConfigFile(path.join(__dirname, "..", "examples", "partner-edge", "m2m.config.ts")) as M2MConfigInput }),
  large: () => ({ name: "large", config: largeConfig() }),
};

export interface SynthesizedStackDir {
  /** `<config>/<environment>`, for report lines. */
  readonly label: string;
  readonly environment: string;
  /** `<outdir>/stacks/<environment>`. */
  readonly dir: string;
}

/** Validates and synthesizes `config` into `outdir`; returns its stack directories. */
export function synthesizeStacks(name: string, config: unknown, outdir: string): SynthesizedStackDir[] {
  const model = validateConfig(config);
  fs.mkdirSync(outdir, { recursive: true });
  synthesizeApp(model, { outdir });
  return model.environments.map((e) => ({ label: `${name}/${e.name}`, environment: e.name, dir: path.join(outdir, "stacks", e.name) }));
}
