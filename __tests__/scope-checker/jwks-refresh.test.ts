/**
 * JwksRefresher: at most one JWKS fetch per interval, however many tokens with unknown key
 * ids ask, with a clock the test moves. (handler-env.test.ts runs it against a real server.)
 */
import { JwksRefresher } from "../../lambdas/scope-checker/jwks-refresh";

const INTERVAL = 300_000;
const KEYS = { keys: [{ kid: "k" }] };

function setup(options: { fail?: boolean; lastFetchAt?: number } = {}) {
  const clock = { now: 1_000_000 };
  const fetches: { resolve: () => void }[] = [];
  const refresher = new JwksRefresher({
    intervalMs: INTERVAL,
    lastFetchAt: options.lastFetchAt ?? clock.now,
    now: () => clock.now,
    fetchJwks: () =>
      new Promise((resolve, reject) => {
        fetches.push({ resolve: () => (options.fail ? reject(new Error("HTTP status 503")) : resolve(KEYS)) });
      }),
  });
  return { clock, fetches, refresher };
}

it("refuses a fetch within the interval after the cold-start load, allows one once it has passed", async () => {
  const { clock, fetches, refresher } = setup();
  expect(refresher.refresh()).toBeUndefined();
  clock.now += INTERVAL - 1;
  expect(refresher.refresh()).toBeUndefined();
  clock.now += 1;
  const fetching = refresher.refresh();
  expect(fetching).toBeInstanceOf(Promise);
  expect(fetches).toHaveLength(1);
  fetches[0]!.resolve();
  await expect(fetching).resolves.toBe(KEYS);
});

it("shares one fetch between all callers while it runs, and counts the interval from its start", async () => {
  const { clock, fetches, refresher } = setup({ lastFetchAt: 0 });
  const callers = Array.from({ length: 100 }, () => refresher.refresh());
  expect(fetches).toHaveLength(1);
  expect(new Set(callers).size).toBe(1);
  clock.now += 10_000;
  fetches[0]!.resolve();
  await Promise.all(callers);
  // Settled: further callers within the interval (from the fetch's start) get nothing.
  expect(refresher.refresh()).toBeUndefined();
  clock.now += INTERVAL - 10_000 - 1;
  expect(refresher.refresh()).toBeUndefined();
  clock.now += 1;
  expect(refresher.refresh()).toBeInstanceOf(Promise);
  expect(fetches).toHaveLength(2);
});

it("counts a failed fetch too (no retry storm against a failing endpoint), and resolves it to undefined", async () => {
  const { clock, fetches, refresher } = setup({ fail: true, lastFetchAt: 0 });
  const fetching = refresher.refresh();
  fetches[0]!.resolve();
  await expect(fetching).resolves.toBeUndefined();
  for (let i = 0; i < 50; i++) expect(refresher.refresh()).toBeUndefined();
  clock.now += INTERVAL;
  expect(refresher.refresh()).toBeInstanceOf(Promise);
  expect(fetches).toHaveLength(2);
});

it("does not fetch when the clock went backwards", () => {
  const { clock, fetches, refresher } = setup();
  clock.now -= 10 * INTERVAL;
  expect(refresher.refresh()).toBeUndefined();
  expect(fetches).toHaveLength(0);
});
