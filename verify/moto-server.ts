/**
 * A moto_server (the AWS emulator) on a free 127.0.0.1 port, for one verification run. It is
 * started detached in its own process group, waited for until it answers, and stopped (the
 * whole group) by `stop()` or, failing that, when this process exits: it never outlives us.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as net from "node:net";

export interface MotoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export function missingMotoServer(): string | undefined {
  const probe = spawnSync("moto_server", ["--help"], { encoding: "utf8", timeout: 30_000 });
  return probe.error || probe.status !== 0 ? "moto_server is not on PATH" : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** One request without keep-alive (a pooled socket would keep the caller's event loop alive). */
function answers(endpoint: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${endpoint}/moto-api/`, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(true));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}
// When this process ends there is no time to wait for a graceful stop (moto can take seconds
// to honour SIGTERM, and would outlive us): SIGKILL the groups.
process.on("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});
// A signal ends the process without "exit": stop the emulators, then die of the same signal.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const child of running) killGroup(child, "SIGKILL");
    process.kill(process.pid, signal);
  });
}

export async function startMotoServer(options: { readonly timeoutMs?: number } = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
    // ACM: moto issues a DNS-validated certificate after this many seconds (60 by default); with
    // no DNS to look at, waiting proves nothing and costs each custom-domain stack a minute.
    env: { MOTO_ACM_VALIDATION_WAIT: "0", ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    killGroup(child);
    // A graceful stop gets 5 s; the timer is cleared so it never keeps the process (jest) alive.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    running.delete(child);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint}: ${stderr.trim().split("\n").slice(-3).join(" | ") || "no output"}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { endpoint, stop };
}
