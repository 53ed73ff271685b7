/**
 * Builds the cdktf App from a validated model: the scope checker's bundle once, then one stack
 * per environment, then synthesis into `<outdir>/stacks/<env>/cdk.tf.json`.
 */
import * as path from "node:path";
import { App } from "cdktf";
import type { M2MModel } from "../model/model-types";
import { bundleLambda, SCOPE_CHECKER_ENTRY, SECRET_ROTATION_ENTRY } from "./lambda-bundle";
import { M2MStack } from "./m2m-stack";

export interface BuildAppOptions {
  readonly outdir: string;
}

export function buildApp(model: M2MModel, options: BuildAppOptions): App {
  const needsChecker = model.routes.some((r) => r.authorizer === "scope-checker");
  const scopeCheckerBundle = needsChecker
    ? bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.resolve(options.outdir, "bundles", "scope-checker", "index.mjs") }).outFile
    : undefined;
  const needsRotation = model.environments.some((e) => e.clients.some((c) => c.secretRotationDays !== undefined));
  const secretRotationBundle = needsRotation
    ? bundleLambda({ entry: SECRET_ROTATION_ENTRY, outFile: path.resolve(options.outdir, "bundles", "secret-rotation", "index.mjs") }).outFile
    : undefined;
  // No stack traces in the metadata: they hold absolute paths and would make output machine-specific.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  for (const environment of model.environments) new M2MStack(app, { model, environment, scopeCheckerBundle, secretRotationBundle });
  return app;
}

/**
 * Builds and synthesizes the app. cdktf records a full stack trace for every token it creates;
 * with source maps on (tsx turns them on), each trace costs source-map lookups, which took over
 * half the synth time of a large config. The traces only feed messages about misused tokens, so
 * synthesis runs with source maps off and restores the setting afterwards.
 */
export function synthesizeApp(model: M2MModel, options: BuildAppOptions): void {
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    buildApp(model, options).synth();
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}
