/**
 * `npm run bench:synth`: synth time of the default config (two APIs), of a generated large
 * config (one API: 300 clients, 100 routes) and of a generated platform of several APIs (25 APIs
 * × 40 routes, 1,000 clients in one pool), measured side by side in one run with rounds
 * interleaved (the order rotates), so a noisy machine slows all alike. Two views:
 *   - process: `node bin/run.js main.ts` end to end, as `npm run synth` runs it, beside its floor
 *     `node -e 0` measured in the same rounds (goals: default <= 5x the floor, large within 3x
 *     of the default, the 25-API platform within 5x of the default);
 *   - synth step: the same runs' own figure for building and synthesizing the app (main.ts
 *     prints it), so the step is measured as the product runs it (compiled, with its cdktf edits).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import defaultConfig from "../m2m.config";
import { allRoutes } from "../model/apis";
import type { M2MConfigInput } from "../model/config-types";
import { validateConfig } from "../model/validate";
import { largeConfig, platformApisConfig } from "./large-config";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-bench-synth-"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const elapsed = (fn: () => void) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const configs: Record<string, M2MConfigInput> = { default: defaultConfig, large: largeConfig(), apis: platformApisConfig() };
const NAMES = Object.keys(configs);
const files: Record<string, string> = {};
for (const [name, config] of Object.entries(configs)) {
  files[name] = path.join(work, `${name}.config.ts`);
  fs.writeFileSync(files[name]!, `export default ${JSON.stringify(config)};\n`);
}

const times: Record<string, Record<string, number[]>> = {
  process: Object.fromEntries(NAMES.map((n) => [n, []])),
  "synth step": Object.fromEntries(NAMES.map((n) => [n, []])),
};

function synthProcess(name: string): void {
  let stdout = "";
  times.process![name]!.push(
    elapsed(() => {
      const r = spawnSync(process.execPath, [path.join(root, "bin", "run.js"), "main.ts"], { env: { ...process.env, M2M_CONFIG: files[name], CDKTF_OUTDIR: path.join(work, `out-${name}`) }, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`synth of ${name} failed: ${r.stderr}`);
      stdout = r.stdout;
    }),
  );
  const step = / in (\d+) ms$/m.exec(stdout);
  if (!step) throw new Error(`synth of ${name} printed no timing: ${stdout}`);
  times["synth step"]![name]!.push(Number(step[1]));
}

const floorTimes: number[] = [];
const floor = () => elapsed(() => spawnSync(process.execPath, ["-e", "0"]));
for (const name of NAMES) synthProcess(name); // warm-up: the compiled bundle, its code cache, the Lambda bundle cache
for (const view of Object.values(times)) for (const list of Object.values(view)) list.length = 0;
for (let round = 0; round < ROUNDS; round++) {
  floorTimes.push(floor());
  for (const name of [...NAMES.slice(round % NAMES.length), ...NAMES.slice(0, round % NAMES.length)]) synthProcess(name);
}

const large = validateConfig(configs.large);
const apis = validateConfig(configs.apis);
const resources = (name: string) => Object.values(JSON.parse(fs.readFileSync(path.join(work, `out-${name}`, "stacks", "dev", "cdk.tf.json"), "utf8")).resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
console.log(`synth benchmark: ${ROUNDS} interleaved rounds, median ms (node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
console.log(`  large config: ${large.environments[0]!.clients.length} clients, ${allRoutes(large).length} routes, ${large.environments.length} environments`);
console.log(`  apis config: ${apis.apis.length} APIs, ${allRoutes(apis).length} routes, ${apis.environments[0]!.clients.length} clients, ${apis.environments.length} environments`);
console.log(`  resources per stack: ${NAMES.map((n) => `${n} ${resources(n)}`).join(", ")}`);
console.log("");
const floorMs = median(floorTimes);
console.log(`  floor (node -e 0) ${floorMs.toFixed(0).padStart(4)}`);
console.log(`  view       ${NAMES.map((n) => n.padStart(10)).join("")}    ${NAMES.slice(1).map((n) => `${n}/default`.padStart(16)).join("")}`);
for (const [view, byConfig] of Object.entries(times)) {
  const d = median(byConfig.default!);
  const cells = NAMES.map((n) => median(byConfig[n]!).toFixed(0).padStart(10)).join("");
  const ratios = NAMES.slice(1).map((n) => `${(median(byConfig[n]!) / d).toFixed(2)}x`.padStart(16)).join("");
  console.log(`  ${view.padEnd(10)} ${cells}    ${ratios}`);
}
const processDefault = median(times.process!.default!);
const processLarge = median(times.process!.large!);
const processApis = median(times.process!.apis!);
console.log("");
console.log(`  goal: default synth (process) <= 5x node -e 0: ${processDefault <= 5 * floorMs ? "met" : "NOT met"} (${processDefault.toFixed(0)} ms, ${(processDefault / floorMs).toFixed(2)}x)`);
console.log(`  goal: large within 3x of default (process): ${processLarge / processDefault <= 3 ? "met" : "NOT met"} (${(processLarge / processDefault).toFixed(2)}x)`);
console.log(`  goal: 25 APIs x 40 routes, 1,000 clients within 5x of default (process): ${processApis / processDefault <= 5 ? "met" : "NOT met"} (${(processApis / processDefault).toFixed(2)}x)`);
fs.rmSync(work, { recursive: true, force: true });
