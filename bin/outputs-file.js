/**
 * The outputs file `npm run deploy -- ENV --outputs-file FILE` writes, and the deploy job's
 * scripts and `m2m --outputs` read: `{ "<env>": { "<output name>": <value>, ... }, ... }`, the
 * values of the stack's `terraform output -json` (sensitive ones left out unless asked), one
 * object per environment. One module, so the tests that run the deploy scripts against an
 * emulator apply's outputs build the file exactly as deploy does.
 */
"use strict";
const fs = require("node:fs");

/** `terraform output -json` (parsed) -> `{ name: value }`; sensitive outputs only when asked. */
function outputValues(terraformOutputs, includeSensitive) {
  const values = {};
  for (const [name, output] of Object.entries(terraformOutputs)) {
    if (!output.sensitive || includeSensitive) values[name] = output.value;
  }
  return values;
}

/** Sets one environment's values in the file (created if absent; other environments kept), readable by its owner only. */
function writeEnvironmentOutputs(file, environment, values) {
  let all = {};
  try {
    all = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    all = {};
  }
  all[environment] = values;
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
}

module.exports = { outputValues, writeEnvironmentOutputs };
