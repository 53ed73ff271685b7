/** A Node.js child process as the end-to-end tests run the project's entry points. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";

/** The project root, the working directory of every child. */
export const ROOT = resolve(__dirname, "../..");

export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <args>` in the project root with `env`, collecting its output until it exits. */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

/** A running `m2m dev`: what it printed up to its ready line, and how to stop it (SIGTERM, then its close). */
export interface RunningDev {
  readonly ready: string;
  stop(): Promise<void>;
}

/** Starts `node bin/m2m.js dev <args>` in the project root and waits for its ready line. */
export function startDev(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningDev> {
  const child = spawn(process.execPath, [resolve(ROOT, "bin", "m2m.js"), "dev", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const closed = new Promise<void>((done) => child.once("close", () => done()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await closed;
  };
  return new Promise((ready, failed) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Ctrl+C stops")) ready({ ready: out, stop });
    });
    child.once("close", (code) => failed(new Error(`m2m dev exited with ${String(code)} before it was ready: ${out}`)));
  });
}
