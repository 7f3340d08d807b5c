// withCircuitBreaker: the seed's tests and the breaker's contract, on the library's breaker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { BackoffError, CircuitBreakerOpenError, namesOf, withCircuitBreaker, type CircuitBreakerState }
  from '../src/index.js';
import { failingService } from './support/service.js';

const boom = async (): Promise<string> => {
  throw new Error('boom');
};

test('opens after consecutive failures and rejects new calls', async () => {
  const wrapped = withCircuitBreaker(boom, { failureThreshold: 2, cooldownMs: 1000, windowMs: 10_000 });
  await assert.rejects(wrapped(), /boom/);
  await assert.rejects(wrapped(), /boom/);
  await assert.rejects(wrapped(), CircuitBreakerOpenError);
});

test('recovers after cooldown with successful half-open probe', async () => {
  const { state, fn } = failingService('fail');
  const wrapped = withCircuitBreaker(fn, { failureThreshold: 1, cooldownMs: 50, windowMs: 1 });
  await assert.rejects(wrapped(), /fail/);
  await assert.rejects(wrapped(), CircuitBreakerOpenError);
  await sleep(60);
  state.failing = false;
  assert.equal(await wrapped(), 'ok');
  assert.equal(state.calls, 2);
  assert.equal(wrapped.breaker.state, 'closed');
});

test('a failed probe opens the breaker again for another cooldown', async () => {
  const wrapped = withCircuitBreaker(boom, { failureThreshold: 1, cooldownMs: 40 });
  await assert.rejects(wrapped(), /boom/);
  await sleep(50);
  await assert.rejects(wrapped(), /boom/); // the probe
  await assert.rejects(wrapped(), (error: unknown) => {
    assert.ok(error instanceof CircuitBreakerOpenError);
    // The first period ended 10 ms ago: time left means the failed probe started another.
    assert.ok(error.cooldownRemainingMs > 0 && error.cooldownRemainingMs <= 40, `${error.cooldownRemainingMs}`);
    return true;
  });
});

test('onStateChange reports every transition in order', async () => {
  const changes: string[] = [];
  const { state, fn } = failingService('fail');
  const wrapped = withCircuitBreaker(fn, {
    failureThreshold: 1, cooldownMs: 30, onStateChange: (to, from) => changes.push(`${from}->${to}`),
  });
  await assert.rejects(wrapped());
  await sleep(40);
  state.failing = false;
  await wrapped();
  assert.deepEqual(changes, ['closed->open', 'open->halfOpen', 'halfOpen->closed']);
});

test('onStateChange may call into the breaker while it changes state', async () => {
  const seen: string[] = [];
  const { state, fn } = failingService('fail');
  const wrapped = withCircuitBreaker(fn, {
    failureThreshold: 1, cooldownMs: 20,
    onStateChange: (to) => seen.push(`${to}:${wrapped.breaker.state}:${wrapped.breaker.count('admitted')}`),
  });
  await assert.rejects(wrapped());
  await sleep(30);
  state.failing = false;
  // The probe's permit survives the listener's calls: its success closes the breaker.
  assert.equal(await wrapped(), 'ok');
  assert.deepEqual(seen, ['open:open:1', 'halfOpen:halfOpen:1', 'closed:closed:2']);
  assert.equal(wrapped.breaker.count('stale'), 0);
});

test('half-open admits halfOpenMaxInFlight probes at a time', async () => {
  const { state, fn } = failingService('fail');
  const wrapped = withCircuitBreaker(async () => {
    await sleep(20);
    return fn();
  }, { failureThreshold: 1, cooldownMs: 30, halfOpenMaxInFlight: 1 });
  await assert.rejects(wrapped());
  await sleep(40);
  state.failing = false;
  const results = await Promise.allSettled([wrapped(), wrapped(), wrapped()]);
  assert.deepEqual(results.map((result) => result.status), ['fulfilled', 'rejected', 'rejected']);
  const refusal = (results[1] as PromiseRejectedResult).reason;
  assert.ok(refusal instanceof CircuitBreakerOpenError);
  assert.equal(refusal.cooldownRemainingMs, 0); // a probe slot may free up at any moment
  assert.equal(state.calls, 2);
});

test('errors isFailure rejects are ignored and never open it', async () => {
  const notFound = Object.assign(new Error('not found'), { status: 404 });
  const wrapped = withCircuitBreaker(async () => {
    throw notFound;
  }, { failureThreshold: 1 });
  for (let i = 0; i < 3; i++) await assert.rejects(wrapped(), /not found/);
  assert.equal(wrapped.breaker.state, 'closed');
  assert.equal(wrapped.breaker.count('ignored'), 3);
});

test('without options it trips as the seed does: 5 failures, then 30 s open', async () => {
  const wrapped = withCircuitBreaker(boom);
  for (let i = 0; i < 4; i++) await assert.rejects(wrapped(), /boom/);
  assert.equal(wrapped.breaker.state, 'closed');
  await assert.rejects(wrapped(), /boom/);
  await assert.rejects(wrapped(), (error: unknown) => {
    assert.ok(error instanceof CircuitBreakerOpenError);
    assert.ok(error.cooldownRemainingMs > 29_000 && error.cooldownRemainingMs <= 30_000);
    return true;
  });
});

test('failures count in a row, or within windowMs when it is given', async () => {
  let fail = true;
  const fn = async () => {
    if (fail) throw new Error('fail');
    return 'ok';
  };
  const inARow = withCircuitBreaker(fn, { failureThreshold: 2 });
  const inAWindow = withCircuitBreaker(fn, { failureThreshold: 2, windowMs: 60_000 });
  for (const wrapped of [inARow, inAWindow]) {
    fail = true;
    await assert.rejects(wrapped());
    fail = false;
    await wrapped();
    fail = true;
    await assert.rejects(wrapped());
  }
  assert.equal(inARow.breaker.state, 'closed'); // the success in between reset the run
  assert.equal(inAWindow.breaker.state, 'open');
});

test('onReject sees each refusal before it is thrown', async () => {
  const seen: CircuitBreakerOpenError[] = [];
  const wrapped = withCircuitBreaker(boom, { failureThreshold: 1, onReject: (error) => seen.push(error) });
  await assert.rejects(wrapped(), /boom/);
  await assert.rejects(wrapped(), (error) => error === seen[0]);
  assert.equal(seen.length, 1);
  assert.equal(wrapped.breaker.count('rejected'), 1);
});

test('a Retry-After on the failure keeps the breaker open at least that long', async () => {
  const throttled = Object.assign(new Error('slow down'), { status: 429, response: { headers: { 'retry-after': '5' } } });
  const wrapped = withCircuitBreaker(async () => {
    throw throttled;
  }, { failureThreshold: 1, cooldownMs: 10 });
  await assert.rejects(wrapped(), /slow down/);
  await assert.rejects(wrapped(), (error: unknown) =>
    error instanceof CircuitBreakerOpenError && error.cooldownRemainingMs > 4_000);
});

test('isolated rejects every call until another transition', async () => {
  const wrapped = withCircuitBreaker(async () => 'ok');
  wrapped.breaker.transition('isolated');
  await assert.rejects(wrapped(), (error: unknown) =>
    error instanceof CircuitBreakerOpenError && error.cooldownRemainingMs === Infinity);
  wrapped.breaker.transition('closed');
  assert.equal(await wrapped(), 'ok');
});

test('the wrapped function keeps its arguments, receiver and result', async () => {
  const service = {
    base: 10,
    async add(this: { base: number }, x: number, y: number) {
      return this.base + x + y;
    },
  };
  const add: (x: number, y: number) => Promise<number> = withCircuitBreaker(service.add);
  assert.equal(await add.call(service, 1, 2), 13);
  // @ts-expect-error the wrapped function takes what fn takes (checked by tsc, never called)
  void (() => add('1', 2));
});

test('the states are the library\'s names', () => {
  const states: Record<CircuitBreakerState, true> = {
    closed: true, open: true, halfOpen: true, isolated: true, disabled: true,
  };
  assert.deepEqual(Object.keys(states), namesOf('breaker_state'));
});

test('a bad option names the option, the parameter and the value', () => {
  assert.throws(() => withCircuitBreaker(boom, { failureThreshold: 0 }), (error: unknown) => {
    assert.ok(error instanceof BackoffError);
    assert.match(error.message, /^failureThreshold = 0: failure_threshold: .*0/);
    return true;
  });
  assert.throws(() => withCircuitBreaker(boom, { cooldownMs: -5 }), /^BackoffError: cooldownMs = -5ms: open_duration/);
  assert.throws(() => withCircuitBreaker(boom, { params: { trip: 'sometimes' } }), /trip.*sometimes/);
});

test('a closed breaker fails its calls with an error, never a crash', async () => {
  const wrapped = withCircuitBreaker(async () => 'ok');
  wrapped.breaker.close();
  wrapped.breaker.close();
  await assert.rejects(wrapped(), BackoffError);
});
