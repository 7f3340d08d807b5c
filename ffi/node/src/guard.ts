// The path of a call guarded by a breaker of the library's: ask for a permit, call the function, report how
// it went. Written once for a CircuitBreaker and for a key of a CircuitBreakerPool, which differ only in
// the two C calls that take the permit and report on it.
import { codes, nsToMs, type Codes } from './codes.js';
import { check, CircuitBreakerOpenError } from './errors.js';
import { isTransientError, retryAfterNs, retryAfterOf } from './http.js';
import { library, type Native } from './native.js';

/** The options of a guarded call: CircuitBreakerOptions's, minus those that configure the breaker. */
export interface GuardOptions {
  isFailure?: (error: unknown) => boolean;
  onReject?: (error: CircuitBreakerOpenError) => void;
  retryAfter?: (error: unknown) => string | number | undefined;
}

/** Runs guarded calls for one breaker or a pool of them, whose breakers a key `K` names. */
export abstract class BreakerGate<K> {
  protected readonly native: Native;
  readonly #codes: Codes;
  readonly #measureDuration: boolean;
  readonly #onReject: ((error: CircuitBreakerOpenError) => void) | undefined;
  readonly #retryAfter: (error: unknown) => string | number | undefined;
  /** Whether an error counts against the service; others are recorded as ignored. */
  readonly isFailure: (error: unknown) => boolean;

  /** @param measureDuration  whether results carry the call's duration (only the slow-call rule reads it). */
  constructor(options: GuardOptions, measureDuration: boolean) {
    this.native = library();
    this.#codes = codes();
    this.#measureDuration = measureDuration;
    this.isFailure = options.isFailure ?? isTransientError;
    this.#onReject = options.onReject;
    this.#retryAfter = options.retryAfter ?? retryAfterOf;
  }

  /** Asks the breaker of `key` for a permit: the status; the permit in native.out, the wait in native.out2. */
  protected abstract acquire(key: K): number;

  /** Reports a permit's call to the breaker of `key`: the status. */
  protected abstract record(key: K, permit: bigint, outcome: number, durationNs: number, hintNs: bigint): number;

  /** Calls `fn` with `thisArg` and `args` if the breaker of `key` admits it, and reports how it went. */
  protected async guard<TArgs extends unknown[], T>(key: K, fn: (...args: TArgs) => T | Promise<T>,
    thisArg: unknown, args: TArgs): Promise<T> {
    const native = this.native;
    const status = this.acquire(key);
    if (status !== 0) throw this.refusal(status, native.out2.i64[0]!);
    const permit = native.out.u64[0]!;
    const start = this.#measureDuration ? performance.now() : 0;
    let value: T;
    try {
      value = await fn.apply(thisArg, args);
    } catch (error) {
      this.#recordError(key, permit, start, error);
      throw error;
    }
    check(this.record(key, permit, this.#codes.success, this.#since(start), 0n));
    return value;
  }

  #recordError(key: K, permit: bigint, start: number, error: unknown): void {
    const failure = this.isFailure(error);
    const hint = failure ? retryAfterNs(this.#retryAfter(error)) : 0n;
    check(this.record(key, permit, failure ? this.#codes.failure : this.#codes.ignored, this.#since(start), hint));
  }

  #since(start: number): number {
    return this.#measureDuration ? Math.round((performance.now() - start) * 1e6) : 0;
  }

  /** The error for a refused call (BACKOFF_EOPEN), after onReject; throws the library's error otherwise. */
  refusal(status: number, waitNs: bigint): CircuitBreakerOpenError {
    if (status !== this.#codes.circuitOpen) check(status);
    const error = new CircuitBreakerOpenError(nsToMs(waitNs));
    this.#onReject?.(error);
    return error;
  }
}
