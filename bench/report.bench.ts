/**
 * `npm run bench:report`: report time of the default config (two APIs) and of a generated
 * platform-scale config (25 APIs x 40 routes, 1,000 clients, two environments:
 * bench/large-config.ts, platformApisConfig), side by side in one run with rounds interleaved, so
 * a noisy machine slows both alike. Two views:
 *   - process: `node bin/run.js reports/cli.ts --config FILE --out DIR`, as `npm run report` runs it;
 *   - in-process: validate + every report file (no disk), after a warm-up.
 * Also prints the size of what the large config's report writes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import defaultConfig from "../m2m.config";
import { platformApisConfig } from "./large-config";
import type { M2MConfigInput } from "../model/config-types";
import { validateConfig } from "../model/validate";
import { environmentReportFiles } from "../reports/report-files";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-bench-report-"));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const elapsed = (fn: () => void) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

const configs: Record<string, M2MConfigInput> = { default: defaultConfig, platform: platformApisConfig() };
const names = Object.keys(configs);
const files: Record<string, string> = {};
for (const [name, config] of Object.entries(configs)) {
  files[name] = path.join(work, `${name}.config.ts`);
  fs.writeFileSync(files[name]!, `export default ${JSON.stringify(config)};\n`);
}
const outOf = (name: string) => path.join(work, `out-${name}`);

function reportProcess(name: string): number {
  return elapsed(() => {
    const r = spawnSync(process.execPath, [path.join(root, "bin", "run.js"), "reports/cli.ts", "--config", files[name]!, "--out", outOf(name)], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`report of ${name} failed: ${r.stderr}`);
  });
}

function reportInProcess(name: string): number {
  return elapsed(() => environmentReportFiles(validateConfig(configs[name])));
}

const times: Record<string, Record<string, number[]>> = { process: { default: [], platform: [] }, "in-process": { default: [], platform: [] } };
for (const name of names) reportInProcess(name); // warm-up: module loading is the process view's business
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    times.process![name]!.push(reportProcess(name));
    times["in-process"]![name]!.push(reportInProcess(name));
  }
}

function sizes(dir: string): { files: number; bytes: number; largest: string } {
  let count = 0;
  let bytes = 0;
  let largest = { file: "", size: 0 };
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const size = fs.statSync(full).size;
        count++;
        bytes += size;
        if (size > largest.size) largest = { file: path.relative(dir, full), size };
      }
    }
  };
  walk(dir);
  return { files: count, bytes, largest: `${largest.file} ${(largest.size / 1e6).toFixed(1)} MB` };
}

const platform = validateConfig(configs.platform);
const routes = platform.apis.reduce((n, a) => n + a.routes.length, 0);
const written = sizes(outOf("platform"));
console.log(`report benchmark: ${ROUNDS} interleaved rounds, median ms (node ${process.version}, ${os.cpus().length} cores)`);
console.log(`  platform config: ${platform.apis.length} APIs, ${routes} routes, ${platform.environments[0]!.clients.length} clients, ${platform.environments.length} environments`);
console.log(`  platform report: ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB (largest: ${written.largest})`);
console.log("");
console.log("  view         default   platform  platform/default");
for (const [view, byConfig] of Object.entries(times)) {
  const d = median(byConfig.default!);
  const p = median(byConfig.platform!);
  console.log(`  ${view.padEnd(10)} ${d.toFixed(0).padStart(8)} ${p.toFixed(0).padStart(10)}    ${(p / d).toFixed(2)}x`);
}
fs.rmSync(work, { recursive: true, force: true });
