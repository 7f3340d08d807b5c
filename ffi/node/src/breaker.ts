// withCircuitBreaker: seed 002's API over the library's breaker. The library decides whether a call is
// admitted, counts the results, trips, times the open period and admits the half-open probes; this module
// only calls the function it guards and reports what happened.
import { withConfig, type Params } from './config.js';
import { check, CircuitBreakerOpenError } from './errors.js';
import { BreakerGate } from './guard.js';
import { own } from './handle.js';
import { library, registerListener, unregister, type Native } from './native.js';
import { nameOf, valueOf } from './vocabulary.js';

/** The library's breaker states (BACKOFF_ENUM_BREAKER_STATE), in camelCase; a test holds them to it. */
export type CircuitBreakerState = 'closed' | 'open' | 'halfOpen' | 'isolated' | 'disabled';

export interface CircuitBreakerOptions {
  /** Failures in a row, or within `windowMs` if given, that open the breaker (failure_threshold; default 5). */
  failureThreshold?: number;
  /**
   * Counts failures within this many ms instead of in a row (the library's 'count' rule on a time window of
   * window_duration), as the seed's breaker does. Without it, the library's default rule: failures in a row,
   * which reads no clock on the success path.
   */
  windowMs?: number;
  /** The reset timeout: how long the breaker stays open before a probe, in ms (open_duration; default 30 000). */
  cooldownMs?: number;
  /** Probes admitted at a time while half-open (half_open_probes; library default 1). */
  halfOpenMaxInFlight?: number;
  /** Whether an error counts against the service; others are recorded as ignored. Default: isTransientError. */
  isFailure?: (error: unknown) => boolean;
  /** Called on each state change, synchronously, in order. */
  onStateChange?: (state: CircuitBreakerState, previous: CircuitBreakerState) => void;
  /** Called with each refusal before it is thrown. */
  onReject?: (error: CircuitBreakerOpenError) => void;
  /** Where a failure's Retry-After is (it keeps a breaker it opens open at least that long). */
  retryAfter?: (error: unknown) => string | number | undefined;
  /** Any other breaker parameter, by backoff.h's name: { trip: 'ratio', failure_ratio: 0.5, min_calls: 20 }. */
  params?: Params;
}

// "failureThreshold failures within windowMs": the library's count rule, on its default time window.
const WINDOWED_TRIP_RULE = 'count';

const OPTION_PARAMS = {
  failureThreshold: 'failure_threshold',
  windowMs: 'window_duration',
  cooldownMs: 'open_duration',
  halfOpenMaxInFlight: 'half_open_probes',
} as const;
const DURATION_OPTIONS = new Set(['windowMs', 'cooldownMs']);

/** The breaker's parameters and the option each came from, for error messages. */
export function paramsOf(options: CircuitBreakerOptions): { params: Params; labels: Record<string, string> } {
  const params: Params = options.windowMs === undefined ? {} : { trip: WINDOWED_TRIP_RULE };
  const labels: Record<string, string> = {};
  for (const [option, param] of Object.entries(OPTION_PARAMS)) {
    const value = options[option as keyof typeof OPTION_PARAMS];
    if (value === undefined) continue;
    // Milliseconds go as text, so the library parses fractions and names the value it rejects.
    params[param] = DURATION_OPTIONS.has(option) ? `${value}ms` : value;
    labels[param] = option;
  }
  return { params: { ...params, ...options.params }, labels };
}

/**
 * A circuit breaker of the library's, shared by every function it guards. Thread-safe in C; here every
 * call comes from the event loop.
 */
export class CircuitBreaker extends BreakerGate<undefined> {
  #handle: unknown;
  readonly #close: () => void;

  constructor(options: CircuitBreakerOptions = {}) {
    const native = library();
    const { params, labels } = paramsOf(options);
    const handle = withConfig('breaker', params, labels, (config) => {
      const out = [null];
      check(native.breakerNew(out, config));
      return out[0];
    });
    // Only the slow-call rule reads durations: without it, the success path reads no clock.
    check(native.breakerGetI64(native.out.ptr, handle, valueOf('breaker_param', 'slow_call_duration')));
    super(options, native.out.i64[0]! > 0n);
    const callback = options.onStateChange && listen(native, handle, options.onStateChange);
    this.#handle = handle;
    this.#close = own(this, () => {
      native.breakerFree(handle);
      if (callback !== undefined) unregister(callback);
    });
  }

  /** The state as last stored: an open breaker whose period has passed reads 'open' until a call comes. */
  get state(): CircuitBreakerState {
    const native = this.native;
    check(native.breakerGetState(native.out.ptr, this.handle));
    return nameOf('breaker_state', native.out.i32[0]!) as CircuitBreakerState;
  }

  /** One of the library's counts (backoff_breaker_count): 'admitted', 'rejected', 'failures', 'trips', ... */
  count(name: string): number {
    const native = this.native;
    check(native.breakerGetCount(native.out.ptr, this.handle, valueOf('breaker_count', name)));
    return Number(native.out.u64[0]);
  }

  /** Forces a state: 'isolated' rejects and 'disabled' admits every call until the next transition. */
  transition(state: CircuitBreakerState): void {
    check(this.native.breakerTransition(this.handle, valueOf('breaker_state', state)));
  }

  /** Calls `fn` if the breaker admits it, and reports how it went. */
  async execute<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.guard(undefined, fn, undefined, []);
  }

  /** execute() with a receiver and arguments: the wrapped function's path. */
  async call<TArgs extends unknown[], T>(fn: (...args: TArgs) => T | Promise<T>, thisArg: unknown,
    args: TArgs): Promise<T> {
    return this.guard(undefined, fn, thisArg, args);
  }

  protected acquire(): number {
    const native = this.native;
    return native.breakerAcquire(native.out.ptr, native.out2.ptr, this.#handle);
  }

  protected record(_key: undefined, permit: bigint, outcome: number, durationNs: number, hintNs: bigint): number {
    return this.native.breakerRecord(this.#handle, permit, outcome, durationNs, hintNs);
  }

  /** Frees the breaker. Functions it guards then fail with a BackoffError. Closing twice is a no-op. */
  close(): void {
    this.#handle = null; // the library answers a NULL handle with an error, never a crash
    this.#close();
  }

  get closed(): boolean {
    return this.#handle === null;
  }

  /** The C handle (NULL once closed). */
  get handle(): unknown {
    return this.#handle;
  }
}

/**
 * Registers `onStateChange` as the breaker's listener. The library calls it synchronously from inside the
 * call that changes the state; an exception must not unwind through C, so it is rethrown from a microtask.
 */
function listen(native: Native, handle: unknown,
  onStateChange: (state: CircuitBreakerState, previous: CircuitBreakerState) => void): bigint {
  const callback = registerListener((state: number, previous: number) => {
    try {
      onStateChange(nameOf('breaker_state', state) as CircuitBreakerState,
        nameOf('breaker_state', previous) as CircuitBreakerState);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
    return 0;
  });
  try {
    check(native.breakerSetListener(handle, callback, null));
  } catch (error) {
    unregister(callback);
    throw error;
  }
  return callback;
}

/** What withJitteredRetry needs to compose with a breaker in C: the breaker and the function it guards. */
export const GUARDED = Symbol('libbackoff.guarded');

export interface Guarded {
  readonly breaker: CircuitBreaker;
  readonly fn: (...args: any[]) => unknown;
}

export type CircuitBreakerFunction<TArgs extends unknown[], TResult> = ((...args: TArgs) => Promise<TResult>) & {
  /** The breaker guarding the function: its state, counts and manual transitions. */
  readonly breaker: CircuitBreaker;
  readonly [GUARDED]: Guarded;
};

/**
 * Wraps `fn` in a new circuit breaker: the wrapped function calls `fn` while the breaker admits calls and
 * throws CircuitBreakerOpenError, without calling it, while the breaker is open.
 */
export function withCircuitBreaker<TArgs extends unknown[], TResult>(
  fn: (...args: TArgs) => TResult | Promise<TResult>,
  options: CircuitBreakerOptions = {},
): CircuitBreakerFunction<TArgs, TResult> {
  const breaker = new CircuitBreaker(options);
  const guarded = function (this: unknown, ...args: TArgs): Promise<TResult> {
    return breaker.call(fn, this, args);
  };
  return Object.assign(guarded, { breaker, [GUARDED]: { breaker, fn } });
}
