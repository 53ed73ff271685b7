/** Loads a config module (TypeScript, run under tsx or ts-jest) and returns its default export. */
import * as path from "node:path";

export function loadConfigFile(file: string): unknown {
  const resolved = path.resolve(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolved) as { default?: unknown };
  return mod.default ?? mod;
}
