/**
 * A consumer that keeps calling an API with the token client while something else happens
 * (secret rotations): `workers` loops of `fetchWithToken(url)` until stopped, counting calls and
 * collecting every failure (a non-200 answer or a thrown error), for "zero failed calls" checks.
 */
import { fetchWithToken, type TokenClient } from "../../client";

export interface RunningConsumer {
  /** Stops the loops and waits for the calls in flight. */
  stop(): Promise<{ readonly calls: number; readonly failures: readonly string[] }>;
}

export function startConsumer(tokens: TokenClient, url: string, workers = 2): RunningConsumer {
  let stopped = false;
  let calls = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (!stopped) {
      calls++;
      try {
        const response = await fetchWithToken(tokens, url);
        await response.text();
        if (response.status !== 200) failures.push(`HTTP ${response.status}`);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
  };
  const running = Array.from({ length: workers }, worker);
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
      return { calls, failures };
    },
  };
}
