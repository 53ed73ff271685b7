/**
 * Jest's TypeScript transform: esbuild's transformSync, file by file (isolatedModules, as tsc is
 * configured), with an inline source map so stack traces point into the .ts source. Type errors
 * are `npm run typecheck`'s job. About 20x faster per file than ts-jest, which is most of the
 * cold-start cost of a test file.
 */
"use strict";
const crypto = require("node:crypto");
const { transformSync, version } = require("esbuild");

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash("sha1").update(`esbuild ${version} node20 cjs\0${filename}\0${source}`).digest("hex");
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith(".tsx") ? "tsx" : "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
      // Keeps class and function names (error.name, constructor.name) as written.
      keepNames: true,
    });
    return { code, map };
  },
};
