/**
 * Where the offline environment listens with several APIs: `--port N` puts the token endpoint on
 * N and the APIs on N+1, N+2 in config order; a taken port fails the start with EADDRINUSE and
 * leaves no port of the environment open behind it. The one-API form keeps its single port.
 */
import { createServer, type Server } from "node:net";
import { startEnv, twoApiModel } from "./local-test-kit";

const listenOn = (port: number) =>
  new Promise<Server | undefined>((done) => {
    const server = createServer();
    server.once("error", () => done(undefined));
    server.listen(port, "127.0.0.1", () => done(server));
  });
const closeIt = (server: Server) => new Promise<void>((done) => server.close(() => done()));

/** A base port N whose N+1 and N+2 were free a moment ago (bounded: a few tries). */
async function freeRun(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const probe = await listenOn(0);
    const base = (probe!.address() as { port: number }).port;
    await closeIt(probe!);
    if (base + 2 > 65535) continue;
    const next = await Promise.all([listenOn(base), listenOn(base + 1), listenOn(base + 2)]);
    await Promise.all(next.filter((s): s is Server => s !== undefined).map(closeIt));
    if (next.every((s) => s !== undefined)) return base;
  }
  throw new Error("no run of three free ports found");
}

describe("ports with several APIs", () => {
  it("puts the token endpoint on --port and each API on the ports after it, in config order", async () => {
    const base = await freeRun();
    const env = await startEnv({ model: twoApiModel, port: base });
    try {
      expect(env.tokenEndpoint).toBe(`http://127.0.0.1:${base}/oauth2/token`);
      expect(env.apis.map((a) => [a.name, a.url])).toEqual([
        ["content", `http://127.0.0.1:${base + 1}/dev`],
        ["payments", `http://127.0.0.1:${base + 2}/dev`],
      ]);
      expect((await fetch(`${env.apiUrlOf("payments")}/payments/p-1`)).status).toBe(401);
    } finally {
      await env.close();
    }
  });

  it("fails with EADDRINUSE when an API's port is taken, and closes the ports it had opened", async () => {
    const base = await freeRun();
    const squatter = await listenOn(base + 2);
    expect(squatter).toBeDefined();
    try {
      await expect(startEnv({ model: twoApiModel, port: base })).rejects.toMatchObject({ code: "EADDRINUSE", port: base + 2 });
      // Both ports it had opened are free again.
      const again = await Promise.all([listenOn(base), listenOn(base + 1)]);
      expect(again.map((s) => s !== undefined)).toEqual([true, true]);
      await Promise.all(again.map((s) => closeIt(s!)));
    } finally {
      await closeIt(squatter!);
    }
  });

  it("keeps the one-API form on one port: token endpoint, JWKS and the stage on one origin", async () => {
    const env = await startEnv();
    try {
      expect(env.apis).toHaveLength(1);
      expect(new URL(env.apiUrl).origin).toBe(env.url);
      expect(new URL(env.tokenEndpoint).origin).toBe(env.url);
    } finally {
      await env.close();
    }
  });
});
