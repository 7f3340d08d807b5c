// The errors this package throws. Messages come from the library (backoff_last_error()), which names the
// parameter and the value; this module only adds which option of ours the parameter came from.
import { library } from './native.js';

export class BackoffError extends Error {
  /** code: the negative status of backoff.h; message: backoff_last_error()'s text. */
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'BackoffError';
  }
}

/** Throws the library's error for a failed status. JavaScript runs on one thread, so it is this call's. */
export function check(status: number, context?: string): void {
  if (status !== 0) throw errorOf(status, context);
}

export function errorOf(status: number, context?: string): BackoffError {
  const message = library().lastError() as string;
  return new BackoffError(status, context ? `${context}: ${message}` : message);
}

/** A circuit breaker refused the call: the function was not called. */
export class CircuitBreakerOpenError extends Error {
  /**
   * @param cooldownRemainingMs  how long until the breaker lets a probe through: the rest of the open
   *   period; 0 when half-open with every probe slot taken; Infinity when isolated.
   */
  constructor(readonly cooldownRemainingMs: number) {
    super('Circuit breaker open');
    this.name = 'CircuitBreakerOpenError';
  }
}
