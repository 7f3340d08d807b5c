// Breakers and budgets by key (a host, a partition, a tenant) in bounded memory: the library's pools. Each
// holds at most maxKeys objects and makes room for a new key by dropping the one used least recently,
// which starts afresh (closed, or full) if it comes back. A key ends at its first NUL character, as the
// library reads it.
import { paramsOf, type CircuitBreakerOptions, type CircuitBreakerState } from './breaker.js';
import { BudgetHandle, RetryBudget } from './budget.js';
import { withConfig, type Params } from './config.js';
import { check } from './errors.js';
import { BreakerGate } from './guard.js';
import { own } from './handle.js';
import { library } from './native.js';
import { nameOf } from './vocabulary.js';

/** CircuitBreakerOptions but onStateChange: the library's pooled breakers have no listener. */
export type CircuitBreakerPoolOptions = Omit<CircuitBreakerOptions, 'onStateChange'>;

/**
 * A circuit breaker per key, so that one failing backend cannot open the circuit of the healthy ones;
 * every key's breaker follows the same options, and its calls go as CircuitBreaker's do.
 */
export class CircuitBreakerPool extends BreakerGate<string> {
  #handle: unknown;
  readonly #close: () => void;

  /**
   * @param maxKeys  how many breakers the pool may hold, in [1, 2^20].
   * @param options  as CircuitBreaker's; the library's error names a rejected option or maxKeys.
   */
  constructor(maxKeys: number, options: CircuitBreakerPoolOptions = {}) {
    const native = library();
    const { params, labels } = paramsOf(options);
    const handle = withConfig('breaker', params, labels, (config) => {
      const out = [null];
      check(native.breakerPoolNew(out, config, maxKeys));
      return out[0];
    });
    super(options, true); // every call is timed: a pool cannot say whether its slow-call rule is on
    this.#handle = handle;
    this.#close = own(this, () => native.breakerPoolFree(handle));
  }

  /** Calls `fn` if the breaker of `key` (made closed on the key's first call) admits it, and reports how it went. */
  async execute<T>(key: string, fn: () => T | Promise<T>): Promise<T> {
    return this.guard(key, fn, undefined, []);
  }

  /** The state of the breaker of `key` as last stored; 'closed' for a key the pool does not hold. Adds no key. */
  state(key: string): CircuitBreakerState {
    const native = this.native;
    check(native.breakerPoolState(native.out.ptr, this.#handle, key));
    return nameOf('breaker_state', native.out.i32[0]!) as CircuitBreakerState;
  }

  /** How many breakers the pool holds. */
  get size(): number {
    check(this.native.breakerPoolSize(this.native.out.ptr, this.#handle));
    return Number(this.native.out.i64[0]);
  }

  protected acquire(key: string): number {
    const native = this.native;
    return native.breakerPoolAcquire(native.out.ptr, native.out2.ptr, this.#handle, key);
  }

  protected record(key: string, permit: bigint, outcome: number, durationNs: number, hintNs: bigint): number {
    return this.native.breakerPoolRecord(this.#handle, key, permit, outcome, durationNs, hintNs);
  }

  /** Frees the pool and its breakers; its calls then fail with a BackoffError. Closing twice is a no-op. */
  close(): void {
    this.#handle = null; // the library answers a NULL handle with an error, never a crash
    this.#close();
  }

  get closed(): boolean {
    return this.#handle === null;
  }
}

/** A retry budget per key, so that a failing backend cannot spend a healthy one's retries. */
export class RetryBudgetPool {
  #handle: unknown;
  readonly #close: () => void;

  /**
   * @param maxKeys  how many budgets the pool may hold, in [1, 2^20].
   * @param params   as RetryBudget's; the library's error names a rejected parameter or max_keys.
   */
  constructor(maxKeys: number, params: Params = {}) {
    const native = library();
    const handle = withConfig('budget', params, {}, (config) => {
      const out = [null];
      check(native.budgetPoolNew(out, config, maxKeys));
      return out[0];
    });
    this.#handle = handle;
    this.#close = own(this, () => native.budgetPoolFree(handle));
  }

  /**
   * The budget of `key`, made full on the key's first use: a new RetryBudget sharing it with every other
   * one of that key, valid after the pool drops the key or is closed. Keep it a while rather than getting
   * one per attempt; close it when done (or leave it to the garbage collector).
   */
  get(key: string): RetryBudget {
    const out = [null];
    check(library().budgetPoolGet(out, this.#handle, key));
    return new RetryBudget(new BudgetHandle(out[0]));
  }

  /** How many budgets the pool holds. */
  get size(): number {
    const native = library();
    check(native.budgetPoolSize(native.out.ptr, this.#handle));
    return Number(native.out.i64[0]);
  }

  /** Frees the pool; budgets taken from it stay valid. Closing twice is a no-op. */
  close(): void {
    this.#handle = null;
    this.#close();
  }

  get closed(): boolean {
    return this.#handle === null;
  }
}
