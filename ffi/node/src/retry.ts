// withJitteredRetry: seed 002's API over the library's retrier. The library decides every wait, when to
// give up, whether the budget allows a retry and whether the breaker admits an attempt; this module calls
// the function, classifies its errors and waits with a timer, so the event loop never blocks.
import { setTimeout as sleep } from 'node:timers/promises';

import { GUARDED, type CircuitBreaker, type Guarded } from './breaker.js';
import { nsToMs } from './codes.js';
import { type Params } from './config.js';
import { check } from './errors.js';
import { own } from './handle.js';
import { isTransientError, retryAfterNs, retryAfterOf } from './http.js';
import { library, type Native } from './native.js';
import { Policy } from './policy.js';
import { type RetryBudget } from './budget.js';
import { nameOf, valueOf } from './vocabulary.js';

/** The seed's jitter strategies: the library's jitter modes, and its decorrelated kind. A test holds them to it. */
export type JitterStrategy = 'none' | 'full' | 'equal' | 'decorrelated';

/** Why a call gave up: the library's final retry outcomes but success and cancellation (a test holds them to it). */
export type GiveUpReason = 'gaveUp' | 'permanent' | 'budgetExhausted' | 'circuitOpen';

/** What the budget charges a retry as: the library's error classes (BACKOFF_ENUM_ERROR_CLASS). */
export type ErrorClass = 'ordinary' | 'timeout' | 'throttling';

export interface RetryOptions {
  /** Retries after the first call (max_attempts - 1). Default 4; Infinity retries until another limit stops it. */
  maxRetries?: number;
  /** The first wait, in ms (initial). Default 500. */
  baseDelayMs?: number;
  /** No wait is longer, in ms, server hints included (cap). Default 5000. */
  maxDelayMs?: number;
  /** How waits are spread. Default 'decorrelated' (AWS: U(base, previous * 3), capped). */
  jitterStrategy?: JitterStrategy;
  /** Stop retrying after this many ms since the first failure (max_elapsed). Default: no limit. */
  maxElapsedMs?: number;
  /** Whether an error is worth retrying. Default: isTransientError. */
  shouldRetry?: (error: any) => boolean;
  /** Called before each wait with the error, the retry's number (1 for the first) and the wait in ms. */
  onRetry?: (error: any, attempt: number, delayMs: number) => void;
  /**
   * Called once when a call gives up, before it rejects with `error`: 'gaveUp' (maxRetries or maxElapsedMs),
   * 'permanent' (shouldRetry said no), 'budgetExhausted', 'circuitOpen' (the breaker would refuse the retry).
   */
  onGiveUp?: (error: any, reason: GiveUpReason) => void;
  /** A server's Retry-After for an error (the wait is at least that, still at most maxDelayMs). */
  retryAfter?: (error: any) => string | number | undefined;
  /** What the budget charges a retry after this error as. Default 'ordinary'. */
  errorClass?: (error: any) => ErrorClass;
  /** A budget shared with other functions: a retry it refuses is not made. */
  budget?: RetryBudget;
  /** Aborts the waits: the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Any other policy parameter by backoff.h's name, e.g. { seed: 42 } for reproducible waits. */
  params?: Params;
}

// The seed's defaults, which are this API's: four retries, 500 ms, 5 s, decorrelated.
const SEED_DEFAULTS = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 5000, jitterStrategy: 'decorrelated' } as const;

// AWS's decorrelated jitter draws from U(base, previous * 3): the library's decorrelated kind with multiplier 3.
const DECORRELATED_MULTIPLIER = 3;

function policyOf(options: RetryOptions): Policy {
  const { maxRetries, baseDelayMs, maxDelayMs, jitterStrategy } = { ...SEED_DEFAULTS, ...options };
  if (maxRetries !== Infinity && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new RangeError(`maxRetries: must be a whole number >= 0 or Infinity (got ${maxRetries})`);
  }
  const params: Params = {
    initial: `${baseDelayMs}ms`,
    cap: `${maxDelayMs}ms`,
    // 0 is the library's "unlimited".
    max_attempts: maxRetries === Infinity ? 0 : maxRetries + 1,
  };
  const labels: Record<string, string> = { initial: 'baseDelayMs', cap: 'maxDelayMs', jitter: 'jitterStrategy' };
  if (isKind(jitterStrategy)) {
    params.kind = jitterStrategy;
    params.multiplier = DECORRELATED_MULTIPLIER;
  } else {
    params.jitter = jitterStrategy;
  }
  if (options.maxElapsedMs !== undefined) {
    params.max_elapsed = `${options.maxElapsedMs}ms`;
    labels.max_elapsed = 'maxElapsedMs';
  }
  return new Policy({ ...params, ...options.params }, labels);
}

/** 'decorrelated' names a kind of the library's; the other strategies name its jitter modes. */
function isKind(strategy: string): boolean {
  try {
    valueOf('kind', strategy);
    return true;
  } catch {
    return false;
  }
}

/** Waits on a timer; an abort ends the wait with the signal's reason, as fetch does. */
async function wait(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(delayMs, undefined, signal && { signal });
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  }
}

/** The C retriers of one wrapped function: one per call in flight, reused across calls. */
class RetrierPool {
  readonly #native: Native;
  readonly #policy: Policy;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #budget: RetryBudget | undefined;
  readonly #idle: unknown[] = [];
  readonly #all: unknown[] = [];

  constructor(native: Native, policy: Policy, breaker: CircuitBreaker | undefined, budget: RetryBudget | undefined) {
    this.#native = native;
    this.#policy = policy;
    this.#breaker = breaker;
    this.#budget = budget;
    const all = this.#all;
    // The breaker is held by this closure, so it is freed after the retriers that point at it. (Each
    // retrier holds a reference of its own to the budget.)
    own(this, () => {
      for (const retrier of all) native.retrierFree(retrier);
      void breaker;
    });
  }

  /** A retrier ready for a new call. */
  take(): unknown {
    // A closed one's NULL handle would detach it from new retriers: refuse the call instead.
    if (this.#breaker?.closed) throw new Error('withJitteredRetry: its CircuitBreaker was closed');
    if (this.#budget?.closed) throw new Error('withJitteredRetry: its RetryBudget was closed');
    return this.#idle.pop() ?? this.#create();
  }

  /** Takes a retrier back; resetting it gives back whatever an unfinished call held (permit, tokens). */
  give(retrier: unknown): void {
    this.#native.retrierReset(retrier);
    this.#idle.push(retrier);
  }

  #create(): unknown {
    const native = this.#native;
    const out = [null];
    check(native.retrierNew(out, this.#policy.handle));
    const retrier = out[0];
    this.#all.push(retrier);
    if (this.#breaker) check(native.retrierSetBreaker(retrier, this.#breaker.handle));
    if (this.#budget) check(native.retrierSetBudget(retrier, this.#budget.handle));
    return retrier;
  }
}

/**
 * Wraps `fn` so that a call retries it, waiting as the library's policy says, until it succeeds, an error
 * is not worth retrying, or a limit (retries, elapsed time, the budget, the breaker) stops it; then it
 * rejects with the last error. Given a function from withCircuitBreaker whose isFailure is shouldRetry
 * (both default to isTransientError), the breaker is attached to the library's retrier, which then takes
 * a permit for every attempt: retry around breaker, decided in one place.
 */
export function withJitteredRetry<TArgs extends unknown[], TResult>(
  fn: (...args: TArgs) => TResult | Promise<TResult>,
  options: RetryOptions = {},
): (...args: TArgs) => Promise<TResult> {
  const native = library();
  const shouldRetry = options.shouldRetry ?? isTransientError;
  const guarded = (fn as { [GUARDED]?: Guarded })[GUARDED];
  const composed = guarded !== undefined && guarded.breaker.isFailure === shouldRetry;
  const call = composed ? guarded.fn as typeof fn : fn;
  const policy = policyOf(options);
  const pool = new RetrierPool(native, policy, composed ? guarded.breaker : undefined, options.budget);
  const retryAfter = options.retryAfter ?? retryAfterOf;
  const errorClassOf = options.errorClass;
  const ordinary = valueOf('error_class', 'ordinary');
  const { onRetry, onGiveUp, signal } = options;

  /** Tells onGiveUp why the library ended the call, and returns the error to reject with. */
  function giveUp(retrier: unknown, error: unknown): unknown {
    if (onGiveUp) {
      check(native.retrierGetOutcome(native.out.ptr, retrier));
      onGiveUp(error, nameOf('retry_outcome', native.out.i32[0]!) as GiveUpReason);
    }
    return error;
  }

  /**
   * Records a failed attempt and returns the wait before the next one, or throws `error` when the call is
   * over (the library stopped it, or it is not worth retrying).
   */
  function afterFailure(retrier: unknown, error: unknown, failures: number): number {
    if (!shouldRetry(error)) {
      check(native.retrierOnPermanentFailure(retrier));
      throw giveUp(retrier, error);
    }
    const errorClass = errorClassOf ? valueOf('error_class', errorClassOf(error)) : ordinary;
    check(native.retrierOnFailure(native.out.ptr, retrier, errorClass, retryAfterNs(retryAfter(error))));
    const delayNs = native.out.i64[0]!;
    if (delayNs < 0n) throw giveUp(retrier, error); // BACKOFF_STOP
    const delayMs = nsToMs(delayNs);
    onRetry?.(error, failures, delayMs);
    return delayMs;
  }

  /** Asks the library whether the next attempt may go ahead (the breaker's permit when one is attached). */
  function beforeAttempt(retrier: unknown): void {
    const status = native.retrierBeforeAttempt(native.out.ptr, retrier);
    if (status === 0) return;
    if (composed) throw giveUp(retrier, guarded.breaker.refusal(status, native.out.i64[0]!));
    check(status);
  }

  /** The loop, from the first attempt or, when `firstError` is given, from the first attempt's failure. */
  async function retrying(thisArg: unknown, args: TArgs, firstError?: { error: unknown }): Promise<TResult> {
    const retrier = pool.take();
    try {
      let failures = 0;
      if (firstError) {
        beforeAttempt(retrier); // announces the attempt that already failed, as the library expects
        await wait(afterFailure(retrier, firstError.error, ++failures), signal);
      }
      for (;;) {
        signal?.throwIfAborted();
        beforeAttempt(retrier);
        let value: TResult;
        try {
          value = await call.apply(thisArg, args);
        } catch (error) {
          await wait(afterFailure(retrier, error, ++failures), signal);
          continue;
        }
        check(native.retrierOnSuccess(retrier));
        return value;
      }
    } finally {
      pool.give(retrier);
    }
  }

  // Without a breaker or a budget, a first attempt that succeeds gives the library nothing to decide or
  // record, so it costs no call into it: the retrier is taken at the first failure.
  const engineSeesEveryAttempt = composed || options.budget !== undefined;
  if (engineSeesEveryAttempt) {
    return function (this: unknown, ...args: TArgs) {
      return retrying(this, args);
    };
  }
  return async function (this: unknown, ...args: TArgs): Promise<TResult> {
    signal?.throwIfAborted();
    try {
      return await call.apply(this, args);
    } catch (error) {
      return retrying(this, args, { error });
    }
  };
}
