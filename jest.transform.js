/**
 * Jest's TypeScript transform: esbuild's transformSync, file by file (isolatedModules, as tsc is
 * configured), with an inline source map so stack traces point into the .ts source. Type errors
 * are `npm run typecheck`'s job. About 20x faster per file than ts-jest, which is most of the
 * cold-start cost of a test file.
 *
 * Six of cdktf's own files also come through here (jest.config.js lets them past
 * transformIgnorePatterns), for the edits `npm run synth` runs with (bin/cdktf-patches.js):
 * no token stack traces, archiver loaded on first use, no preparing resolve, plain strings
 * resolved at once. Without them a
 * test synth costs two to three times the product's.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { transformSync, version } = require("esbuild");
const { patchCdktf } = require("./bin/cdktf-patches");

const patchesSource = fs.readFileSync(path.join(__dirname, "bin", "cdktf-patches.js"), "utf8");

module.exports = {
  getCacheKey(source, filename) {
    return crypto.createHash("sha1").update(`esbuild ${version} node20 cjs\0${patchesSource}\0${filename}\0${source}`).digest("hex");
  },
  process(source, filename) {
    if (filename.endsWith(".js")) {
      const patched = patchCdktf(filename, source);
      return { code: patched === undefined ? source : patched };
    }
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
