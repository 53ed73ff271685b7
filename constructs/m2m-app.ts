/**
 * Builds the cdktf App from a validated model: the scope checker's and each backend function's
 * bundle once, then one stack per environment (every API of the model in it), then synthesis into `<outdir>/stacks/<env>/cdk.tf.json`.
 */
import * as path from "node:path";
import { App } from "cdktn";
import { allRoutes } from "../model/apis";
import type { M2MModel } from "../model/model-types";
import { bundleBackendFunctions, bundleLambda, SCOPE_CHECKER_ENTRY, SECRET_ROTATION_ENTRY } from "./lambda-bundle";
import { M2MStack } from "./m2m-stack";

export interface BuildAppOptions {
  readonly outdir: string;
}

export function buildApp(model: M2MModel, options: BuildAppOptions): App {
  const needsChecker = allRoutes(model).some((r) => r.authorizer === "scope-checker");
  const scopeCheckerBundle = needsChecker
    ? bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.resolve(options.outdir, "bundles", "scope-checker", "index.mjs") }).outFile
    : undefined;
  const needsRotation = model.environments.some((e) => e.clients.some((c) => c.secretRotationDays !== undefined));
  const secretRotationBundle = needsRotation
    ? bundleLambda({ entry: SECRET_ROTATION_ENTRY, outFile: path.resolve(options.outdir, "bundles", "secret-rotation", "index.mjs") }).outFile
    : undefined;
  // Each API's functions are bundled in a directory of their own (two APIs may use the same key
  // for different handlers); the one-API form keeps the directory it always had.
  const backendsDir = path.resolve(options.outdir, "bundles", "backends");
  const backendBundles = new Map(
    model.apis.map((api) => [api.name, bundleBackendFunctions(api.backendFunctions, model.layout === "single-api" ? backendsDir : path.join(backendsDir, api.name))]),
  );
  // No stack traces in the metadata: they hold absolute paths and would make output machine-specific.
  const app = new App({ outdir: options.outdir, stackTraces: false });
  for (const environment of model.environments) new M2MStack(app, { model, environment, scopeCheckerBundle, secretRotationBundle, backendBundles });
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
