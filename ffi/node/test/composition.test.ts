// The two wrappers composed, in both orders: retry around breaker (the breaker attached to the library's
// retrier) and breaker around retry (the seed's backend services).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { CircuitBreakerOpenError, withCircuitBreaker, withJitteredRetry } from '../src/index.js';
import { failingService } from './support/service.js';

test('retry around breaker: the breaker opens and the retries stop at once', async () => {
  const { state, fn } = failingService();
  const guarded = withCircuitBreaker(fn, { failureThreshold: 3, cooldownMs: 10_000 });
  const reasons: string[] = [];
  const wrapped = withJitteredRetry(guarded, { baseDelayMs: 1, maxRetries: 10, onGiveUp: (_e, reason) => reasons.push(reason) });
  await assert.rejects(wrapped(), /unavailable/);
  assert.equal(state.calls, 3); // the third failure opened the breaker: no retry could pass it
  assert.deepEqual(reasons, ['circuitOpen']);
  await assert.rejects(wrapped(), CircuitBreakerOpenError);
  assert.deepEqual(reasons, ['circuitOpen', 'circuitOpen']);
  assert.equal(state.calls, 3);
  assert.equal(guarded.breaker.count('failures'), 3);
  assert.equal(guarded.breaker.count('rejected'), 1);
});

test('retry around breaker: every attempt holds a permit, a success closes it again', async () => {
  const { state, fn } = failingService();
  const changes: string[] = [];
  const guarded = withCircuitBreaker(fn, {
    failureThreshold: 1, cooldownMs: 30, onStateChange: (to) => changes.push(to),
  });
  const wrapped = withJitteredRetry(guarded, { baseDelayMs: 1, maxRetries: 3 });
  await assert.rejects(wrapped(), /unavailable/);
  await sleep(40);
  state.failing = false;
  assert.equal(await wrapped(), 'ok');
  assert.deepEqual(changes, ['open', 'halfOpen', 'closed']);
  assert.equal(guarded.breaker.count('admitted'), 2);
  assert.equal(guarded.breaker.count('successes'), 1);
});

test('retry around breaker: an error not worth retrying is ignored by the breaker', async () => {
  const notFound = Object.assign(new Error('not found'), { status: 404 });
  const guarded = withCircuitBreaker(async () => {
    throw notFound;
  }, { failureThreshold: 1 });
  await assert.rejects(withJitteredRetry(guarded, { baseDelayMs: 1 })(), /not found/);
  assert.equal(guarded.breaker.state, 'closed');
  assert.equal(guarded.breaker.count('ignored'), 1);
});

test('retry around a breaker that classifies on its own calls it as a function', async () => {
  const { state, fn } = failingService();
  const guarded = withCircuitBreaker(fn, { failureThreshold: 2, isFailure: () => true });
  const wrapped = withJitteredRetry(guarded, { baseDelayMs: 1, maxRetries: 5 });
  // Two failures open it; the third attempt is refused, and a refusal is not worth retrying.
  await assert.rejects(wrapped(), CircuitBreakerOpenError);
  assert.equal(state.calls, 2);
});

test('breaker around retry (the seed\'s services): retries run before the breaker counts a failure', async () => {
  const { state, fn } = failingService();
  const wrapped = withCircuitBreaker(withJitteredRetry(fn, { baseDelayMs: 1, maxRetries: 2 }), { failureThreshold: 2 });
  await assert.rejects(wrapped(), /unavailable/);
  assert.equal(state.calls, 3);
  assert.equal(wrapped.breaker.state, 'closed');
  assert.equal(wrapped.breaker.count('failures'), 1);
  await assert.rejects(wrapped(), /unavailable/);
  assert.equal(wrapped.breaker.state, 'open');
  await assert.rejects(wrapped(), CircuitBreakerOpenError);
  assert.equal(state.calls, 6);
});
