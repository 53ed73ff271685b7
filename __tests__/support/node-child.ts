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
