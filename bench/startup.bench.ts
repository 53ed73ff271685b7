/**
 * `npm run bench:startup`: what a newcomer waits for, each beside its floor, measured side by side
 * in one run with rounds interleaved (a noisy, shared machine slows every figure alike):
 *
 *   floor      `node -e 0`                          a Node.js process that does nothing
 *   npm floor  `npm run` of a script that runs `node -e 0` (npm's own start, beside the floor:
 *              what `npm run synth` pays before synth starts)
 *   synth      `npm run synth` (default config)     goal: <= 5x the floor
 *              `node bin/run.js main.ts` (what the script runs, without npm's own start)
 *   large      the same for a generated config of 300 clients and 100 routes   goal: <= 3x default
 *   tsx        `tsx main.ts`, the way synth ran before it was compiled ahead (for comparison)
 *   http floor a Node.js process making one HTTP request to the offline environment
 *   m2m call   `m2m call GET /hello-world --local` (token request + API call)   goal: <= 500 ms
 *
 * Medians of BENCH_ROUNDS (default 5) rounds, after one warm-up round that also builds the
 * compiled bundles (.m2m/build/) and their code caches, as a user's first command does once.
 */
import { spawnSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { largeConfig } from "./large-config";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.resolve(__dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-bench-startup-"));
const largeFile = path.join(work, "large.config.ts");
fs.writeFileSync(largeFile, `export default ${JSON.stringify(largeConfig())};\n`);
const localFile = path.join(work, "local.json");
// A package whose one script does nothing: `npm run` of it is npm's own cost.
const npmFloorDir = path.join(work, "npm-floor");
fs.mkdirSync(npmFloorDir);
fs.writeFileSync(path.join(npmFloorDir, "package.json"), JSON.stringify({ name: "npm-floor", version: "0.0.0", private: true, scripts: { noop: "node -e 0" } }));

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = root): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, [...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return ms;
}

const out = (name: string) => ({ CDKTF_OUTDIR: path.join(work, `out-${name}`) });
const tsx = path.join(root, "node_modules", ".bin", "tsx");

async function startDev(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["bin/m2m.js", "dev", "--local-file", localFile], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((ready, failed) => {
    let text = "";
    child.stdout!.on("data", (d) => ((text += d), / ready (at|with) /.test(text) && ready()));
    child.once("exit", () => failed(new Error(`m2m dev exited: ${text}`)));
  });
  return child;
}

const measures: Record<string, () => number> = {
  floor: () => timed(process.execPath, ["-e", "0"]),
  "npm floor": () => timed("npm", ["run", "--silent", "noop"], {}, npmFloorDir),
  "npm run synth": () => timed("npm", ["run", "--silent", "synth"], out("npm")),
  "synth (node)": () => timed(process.execPath, ["bin/run.js", "main.ts"], out("default")),
  "large (node)": () => timed(process.execPath, ["bin/run.js", "main.ts"], { ...out("large"), M2M_CONFIG: largeFile }),
  "tsx main.ts": () => timed(tsx, ["main.ts"], out("tsx")),
  "http floor": () => {
    const { apiUrl } = JSON.parse(fs.readFileSync(localFile, "utf8")) as { apiUrl: string };
    return timed(process.execPath, ["-e", `fetch(${JSON.stringify(`${apiUrl}/hello-world`)}).then((r) => r.text())`]);
  },
  "m2m call": () => timed(process.execPath, ["bin/m2m.js", "call", "GET", "/hello-world", "--local", "--local-file", localFile, "--client", "3rd-party"]),
};

async function main(): Promise<void> {
  const dev = await startDev();
  try {
    for (const measure of Object.values(measures)) measure(); // warm-up: bundles, code caches, disk cache
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
    const names = Object.keys(measures);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) times[name]!.push(measures[name]!());
    }
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
    const floor = m.floor!;
    const row = (name: string, beside: string, base: number) =>
      console.log(`  ${name.padEnd(15)} ${m[name]!.toFixed(0).padStart(6)} ms   ${(m[name]! / base).toFixed(2).padStart(5)}x ${beside}`);
    console.log(`startup benchmark: ${ROUNDS} interleaved rounds, median wall time (node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`);
    console.log("");
    console.log(`  floor           ${floor.toFixed(0).padStart(6)} ms          node -e 0`);
    row("npm floor", "node -e 0 (npm run of a script that runs node -e 0)", floor);
    row("npm run synth", "node -e 0", floor);
    row("synth (node)", "node -e 0", floor);
    row("large (node)", "the default synth (node)", m["synth (node)"]!);
    row("tsx main.ts", "node -e 0 (synth before compiling ahead)", floor);
    row("http floor", "node -e 0 (one HTTP request to the offline environment)", floor);
    row("m2m call", "the bare HTTP round trip", m["http floor"]!);
    console.log("");
    const goal = (text: string, met: boolean, figure: string) => console.log(`  goal: ${text}: ${met ? "met" : "NOT met"} (${figure})`);
    goal("npm run synth <= 5x node -e 0", m["npm run synth"]! <= 5 * floor, `${(m["npm run synth"]! / floor).toFixed(2)}x; npm's own start is ${(m["npm floor"]! / floor).toFixed(2)}x of it`);
    goal("synth (node) <= 5x node -e 0", m["synth (node)"]! <= 5 * floor, `${(m["synth (node)"]! / floor).toFixed(2)}x`);
    goal("large within 3x of default", m["large (node)"]! <= 3 * m["synth (node)"]!, `${(m["large (node)"]! / m["synth (node)"]!).toFixed(2)}x`);
    goal("m2m call <= 500 ms", m["m2m call"]! <= 500, `${m["m2m call"]!.toFixed(0)} ms`);
  } finally {
    dev.kill("SIGTERM");
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
