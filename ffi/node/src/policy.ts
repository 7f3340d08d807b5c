// Policies and backoff states: the library's schedules, in BigInt nanoseconds as in the C API, so that
// nothing is rounded. null in place of a delay means "stop retrying" (BACKOFF_STOP).
import { withConfig, type Params } from './config.js';
import { check } from './errors.js';
import { own } from './handle.js';
import { library } from './native.js';

const STOP_NS = -1n;

function delayOf(out: BigInt64Array): bigint | null {
  return out[0] === STOP_NS ? null : out[0]!;
}

/** The library's monotonic clock in ns: the time scale of State.nextAt and State.resetAt. */
export function monotonicNowNs(): bigint {
  return BigInt(library().monotonicNowNs());
}

/**
 * The key of Policy.delayNs for a job id given as a string (hashed as its UTF-8 bytes) or a Uint8Array:
 * the library's backoff_key_hash, so one job id gives the same delays in every language.
 */
export function keyHash(id: string | Uint8Array): bigint {
  const bytes = typeof id === 'string' ? Buffer.from(id, 'utf8') : id;
  const out = new BigUint64Array(1);
  check(library().keyHash(out, bytes, BigInt(bytes.length)));
  return out[0]!;
}

/**
 * An immutable, validated schedule. Parameters are backoff.h's names, applied in order: a string goes
 * through the text setter ({ cap: '30s', jitter: 'none' }), a number or BigInt through the typed setter
 * ({ multiplier: 1.5, max_attempts: 5, initial: 100_000_000n, seed: 2n ** 64n - 1n }).
 */
export class Policy {
  readonly #handle: unknown;
  readonly #close: () => void;
  #closed = false;
  readonly #out = new BigInt64Array(1);

  /** `labels` names, for error messages, the option of the caller's each parameter came from. */
  constructor(params: Params = {}, labels: Record<string, string> = {}) {
    const lib = library();
    const handle = withConfig('policy', params, labels, (config) => {
      const out = [null];
      check(lib.policyNew(out, config));
      return out[0];
    });
    this.#handle = handle;
    this.#close = own(this, () => lib.policyFree(handle));
  }

  /**
   * The wait in ns before retry number `attempt` (0 after the first failure), or null once max_attempts
   * attempts have been made. A pure function of (policy, attempt, key): pass a job id as key.
   */
  delayNs(attempt: bigint | number, key: bigint | number = 0n): bigint | null {
    check(library().policyDelay(this.#out, this.handle, attempt, key));
    return delayOf(this.#out);
  }

  /** Frees the policy now. States and retriers made from it stay valid. Closing twice is a no-op. */
  close(): void {
    this.#closed = true;
    this.#close();
  }

  /** The C handle. */
  get handle(): unknown {
    if (this.#closed) throw new Error('Policy used after close()');
    return this.#handle;
  }
}

/**
 * The stateful form of a policy: counts attempts and measures elapsed time. next() and reset() read the
 * library's monotonic clock; the ...At methods take the time in ns on any scale the caller keeps, for
 * simulated time without a clock callback.
 */
export class State {
  readonly #handle: unknown;
  readonly #close: () => void;
  #closed = false;
  readonly #out = new BigInt64Array(1);

  constructor(policy: Policy) {
    const lib = library();
    const out = [null];
    check(lib.stateNew(out, policy.handle));
    const handle = out[0];
    this.#handle = handle;
    this.#close = own(this, () => lib.stateFree(handle));
  }

  /** The wait in ns before the next retry, or null to stop; hintNs is a server's Retry-After (a floor). */
  next(hintNs: bigint = 0n): bigint | null {
    check(library().stateNext(this.#out, this.#live(), hintNs));
    return delayOf(this.#out);
  }

  nextAt(nowNs: bigint, hintNs: bigint = 0n): bigint | null {
    check(library().stateNextAt(this.#out, this.#live(), nowNs, hintNs));
    return delayOf(this.#out);
  }

  /** Starts over: attempt 0, elapsed time from now. A seeded state replays its delays. */
  reset(): void {
    check(library().stateReset(this.#live()));
  }

  resetAt(nowNs: bigint): void {
    check(library().stateResetAt(this.#live(), nowNs));
  }

  /** Time in ns from the start or the last reset until nowNs; 0n if nowNs is earlier. */
  elapsedAt(nowNs: bigint): bigint {
    check(library().stateElapsedAt(this.#out, this.#live(), nowNs));
    return this.#out[0]!;
  }

  /** How many delays the state has handed out since the start or the last reset. */
  get attempt(): bigint {
    const out = new BigUint64Array(1);
    check(library().stateAttempt(out, this.#live()));
    return out[0]!;
  }

  close(): void {
    this.#closed = true;
    this.#close();
  }

  #live(): unknown {
    if (this.#closed) throw new Error('State used after close()');
    return this.#handle;
  }
}
