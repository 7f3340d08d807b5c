// libbackoff for Node.js and TypeScript: seed 002's withCircuitBreaker and withJitteredRetry, a retry
// budget, Retry-After, and the library's policies, every decision made by libbackoff.so through koffi.
export { CircuitBreaker, withCircuitBreaker, type CircuitBreakerFunction, type CircuitBreakerOptions,
  type CircuitBreakerState } from './breaker.js';
export { RetryBudget } from './budget.js';
export { CircuitBreakerPool, RetryBudgetPool, type CircuitBreakerPoolOptions } from './pool.js';
export { type ParamValue, type Params } from './config.js';
export { BackoffError, CircuitBreakerOpenError } from './errors.js';
export { isTransientError, retryAfterNs, retryAfterOf, statusOf } from './http.js';
export { findLibrary, library } from './native.js';
export { Policy, State, keyHash, monotonicNowNs } from './policy.js';
export { withJitteredRetry, type ErrorClass, type GiveUpReason, type JitterStrategy, type RetryOptions }
  from './retry.js';
export { nameOf, namesOf, valueOf } from './vocabulary.js';
