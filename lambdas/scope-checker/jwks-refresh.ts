/**
 * Re-fetching the user pool's JWKS after Cognito rotates its signing keys, without letting
 * callers drive the fetching. A token's `kid` is read before its signature is checked, so
 * anyone can send tokens naming unknown keys: every such token asks for a refresh, and this
 * grants at most one fetch per interval per container (counted from the start of the previous
 * fetch, the cold-start load included, failed fetches included). Callers that ask while a
 * fetch is running share it; callers refused a fetch get undefined at once and fail closed.
 */
import type { JwksDocument } from "./token-verifier";

export interface JwksRefresherOptions {
  /** Fetches the pool's current keys; a rejection counts as a fetch (no retry before the interval). */
  readonly fetchJwks: () => Promise<JwksDocument>;
  /** Least time between the starts of two fetches, in milliseconds. */
  readonly intervalMs: number;
  /** When the previous fetch started (the cold-start load), by `now`. */
  readonly lastFetchAt: number;
  /** Milliseconds clock; Date.now by default (looked up per call, so tests can move it). */
  readonly now?: () => number;
}

export class JwksRefresher {
  private lastFetchAt: number;
  private inFlight: Promise<JwksDocument | undefined> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: JwksRefresherOptions) {
    this.lastFetchAt = options.lastFetchAt;
    this.now = options.now ?? (() => Date.now());
  }

  /** The pool's current keys (undefined if the fetch failed), or undefined at once when no fetch is allowed now. */
  refresh(): Promise<JwksDocument | undefined> | undefined {
    if (this.inFlight !== undefined) return this.inFlight;
    const now = this.now();
    // A clock that went backwards also waits: when unsure, do not fetch.
    if (now - this.lastFetchAt < this.options.intervalMs) return undefined;
    this.lastFetchAt = now;
    const fetching = this.options
      .fetchJwks()
      .then(
        (jwks) => jwks,
        () => undefined,
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = fetching;
    return fetching;
  }
}
