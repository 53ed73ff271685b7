/**
 * Jest's TypeScript transform: esbuild's transformSync, file by file (isolatedModules, as tsc is
 * configured), with an inline source map so stack traces point into the .ts source. Type errors
 * are `npm run typecheck`'s job. About 20x faster per file than ts-jest, which is most of the
 * cold-start cost of a test file.
 *
 * Four of cdktn's own files also come through here (jest.config.js lets them past
 * transformIgnorePatterns), for the edits `npm run synth` runs with (bin/cdktn-patches.js):
 * no preparing resolve, plain strings resolved at once, escape scans remembered. Without them a
 * test synth costs about twice the product's.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { transformSync, version } = require("esbuild");
const { patchCdktn } = require("./bin/cdktn-patches");

const patchesSource = fs.readFileSync(path.join(__dirname, "bin", "cdktn-patches.js"), "utf8");

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash("sha1").update(`esbuild ${version} node22 cjs\0${patchesSource}\0${filename}\0${source}`).digest("hex");
  },
  process(source, filename) {
    if (filename.endsWith(".js")) {
      const patched = patchCdktn(filename, source);
      return { code: patched === undefined ? source : patched };
    }
    const { code, map } = transformSync(source, {
      loader: filename.endsWith(".tsx") ? "tsx" : "ts",
      format: "cjs",
      target: "node22",
      sourcemap: "external",
      sourcefile: filename,
      // Keeps class and function names (error.name, constructor.name) as written.
      keepNames: true,
    });
    return { code, map };
  },
};
