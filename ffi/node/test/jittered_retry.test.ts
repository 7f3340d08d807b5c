// withJitteredRetry: the seed's tests and the retry's contract, on the library's retrier.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BackoffError, Policy, RetryBudget, namesOf, withJitteredRetry, type GiveUpReason, type JitterStrategy }
  from '../src/index.js';

const connectionReset = () => Object.assign(new Error('net'), { code: 'ECONNRESET' });

/** A function that throws `error()` for its first `failures` calls, then returns 'ok'; counts its calls. */
function flaky(failures: number, error: () => unknown = connectionReset) {
  const state = { calls: 0 };
  const fn = async (): Promise<string> => {
    if (state.calls++ < failures) throw error();
    return 'ok';
  };
  return { state, fn };
}

test('retries until success with jittered backoff', async () => {
  const { state, fn } = flaky(1);
  const wrapped = withJitteredRetry(fn, { baseDelayMs: 10, maxRetries: 2, jitterStrategy: 'equal' });
  assert.equal(await wrapped(), 'ok');
  assert.equal(state.calls, 2);
});

test('gives up when shouldRetry returns false', async () => {
  const { state, fn } = flaky(5, () => new Error('validation'));
  const wrapped = withJitteredRetry(fn, { shouldRetry: () => false });
  await assert.rejects(wrapped(), /validation/);
  assert.equal(state.calls, 1);
});

test('gives up after maxRetries retries and rethrows the last error', async () => {
  let calls = 0;
  const wrapped = withJitteredRetry(async () => {
    throw new Error(`failure ${++calls}`);
  }, { maxRetries: 3, baseDelayMs: 1 });
  await assert.rejects(wrapped(), /failure 4/);
  assert.equal(calls, 4);
});

test('every wait is the library\'s: the seeded policy\'s schedule, in order', async () => {
  const delays: number[] = [];
  const { fn } = flaky(4);
  const wrapped = withJitteredRetry(fn, {
    baseDelayMs: 2, maxDelayMs: 20, jitterStrategy: 'full', params: { seed: 7 },
    onRetry: (_error, attempt, delayMs) => delays.push(attempt, delayMs),
  });
  assert.equal(await wrapped(), 'ok');
  const policy = new Policy({ initial: '2ms', cap: '20ms', jitter: 'full', seed: 7 });
  const expected = [0, 1, 2, 3].flatMap((n) => [n + 1, Number(policy.delayNs(n)) / 1e6]);
  assert.deepEqual(delays, expected);
});

test('no wait passes maxDelayMs, for every strategy', async () => {
  for (const jitterStrategy of ['none', 'full', 'equal', 'decorrelated'] as const) {
    const delays: number[] = [];
    const wrapped = withJitteredRetry(flaky(8).fn, {
      baseDelayMs: 1, maxDelayMs: 4, maxRetries: 8, jitterStrategy, onRetry: (_e, _n, delayMs) => delays.push(delayMs),
    });
    await wrapped();
    assert.equal(delays.length, 8);
    assert.ok(delays.every((delay) => delay >= 0 && delay <= 4), `${jitterStrategy}: ${delays}`);
    if (jitterStrategy === 'none') assert.deepEqual(delays, [1, 2, 4, 4, 4, 4, 4, 4]);
  }
});

test('the jitter strategies are the library\'s names', () => {
  const strategies: Record<JitterStrategy, true> = { none: true, full: true, equal: true, decorrelated: true };
  const library = [...namesOf('jitter'), ...namesOf('kind')];
  for (const name of Object.keys(strategies)) assert.ok(library.includes(name), name);
});

test('onGiveUp says why the library ended the call', async () => {
  const reasons: string[] = [];
  const onGiveUp = (error: Error, reason: GiveUpReason) => reasons.push(`${error.message}: ${reason}`);
  await assert.rejects(withJitteredRetry(flaky(9).fn, { baseDelayMs: 1, maxRetries: 1, onGiveUp })());
  await assert.rejects(withJitteredRetry(flaky(9).fn, { shouldRetry: () => false, onGiveUp })());
  const budget = new RetryBudget({ calibration: 'aws', capacity: 5, retry_cost: 5, timeout_cost: 5 });
  await assert.rejects(withJitteredRetry(flaky(9).fn, { baseDelayMs: 1, budget, onGiveUp })());
  assert.deepEqual(reasons, ['net: gaveUp', 'net: permanent', 'net: budgetExhausted']);
});

test('the give-up reasons are the library\'s names', () => {
  const reasons: Record<GiveUpReason, true> = { gaveUp: true, permanent: true, budgetExhausted: true, circuitOpen: true };
  const outcomes = namesOf('retry_outcome');
  for (const name of Object.keys(reasons)) assert.ok(outcomes.includes(name), `${name} in ${outcomes}`);
});

test('the event loop runs while a retry waits', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  try {
    await withJitteredRetry(flaky(1).fn, { baseDelayMs: 60, jitterStrategy: 'none' })();
  } finally {
    clearInterval(timer);
  }
  // A wait that blocked would leave no tick: the interval is cleared right after it.
  assert.ok(ticks >= 1, `${ticks} ticks during a 60 ms wait`);
});

test('an abort signal ends the wait and the call', async () => {
  const controller = new AbortController();
  const { state, fn } = flaky(10);
  const call = withJitteredRetry(fn, { baseDelayMs: 10_000, maxDelayMs: 10_000, signal: controller.signal })();
  setTimeout(() => controller.abort(new Error('stop')), 10);
  await assert.rejects(call, /stop/);
  assert.equal(state.calls, 1);
});

test('the budget refuses retries once its tokens are spent, across functions', async () => {
  const budget = new RetryBudget({ calibration: 'aws', capacity: 10, retry_cost: 5 });
  const first = flaky(100);
  await assert.rejects(withJitteredRetry(first.fn, { baseDelayMs: 1, maxRetries: 10, budget })(), /net/);
  assert.equal(first.state.calls, 3); // two retries of 5 tokens each, then refused
  const second = flaky(100);
  await assert.rejects(withJitteredRetry(second.fn, { baseDelayMs: 1, budget })(), /net/);
  assert.equal(second.state.calls, 1);
  assert.equal(budget.count('granted'), 2);
  assert.equal(budget.count('refused'), 2);
});

test('a successful retry gives the budget its tokens back', async () => {
  const budget = new RetryBudget({ calibration: 'aws', capacity: 10, retry_cost: 5, no_retry_increment: 0 });
  assert.equal(await withJitteredRetry(flaky(1).fn, { baseDelayMs: 1, budget })(), 'ok');
  assert.equal(budget.balance, 10);
});

test('a closed budget fails the calls of the functions it was given to', async () => {
  const budget = new RetryBudget();
  const wrapped = withJitteredRetry(async () => 'ok', { budget });
  assert.equal(await wrapped(), 'ok');
  budget.close();
  await assert.rejects(wrapped(), /RetryBudget was closed/);
});

test('maxElapsedMs stops the retries before a wait that would pass it', async () => {
  const { state, fn } = flaky(100);
  const wrapped = withJitteredRetry(fn, { baseDelayMs: 20, jitterStrategy: 'none', maxRetries: Infinity, maxElapsedMs: 50 });
  await assert.rejects(wrapped(), /net/);
  assert.equal(state.calls, 2); // waits of 20 ms, then 40 ms would end past 50 ms
});

test('concurrent calls each keep their own attempts', async () => {
  let calls = 0;
  const wrapped = withJitteredRetry(async (id: number) => {
    if (++calls % 2 === 1) throw connectionReset();
    return id;
  }, { baseDelayMs: 1 });
  assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map((id) => wrapped(id))), [1, 2, 3, 4, 5]);
});

test('bad options name the option and the value', () => {
  const fn = async () => 'ok';
  assert.throws(() => withJitteredRetry(fn, { maxRetries: -1 }), /maxRetries.*-1/);
  assert.throws(() => withJitteredRetry(fn, { maxRetries: 1.5 }), /maxRetries.*1\.5/);
  assert.throws(() => withJitteredRetry(fn, { baseDelayMs: -5 }), (error: unknown) =>
    error instanceof BackoffError && /^baseDelayMs = -5ms: initial/.test(error.message));
  assert.throws(() => withJitteredRetry(fn, { baseDelayMs: 100, maxDelayMs: 10 }), /cap/);
  // @ts-expect-error not a strategy (checked by tsc; the library rejects it at run time too)
  assert.throws(() => withJitteredRetry(fn, { jitterStrategy: 'sometimes' }), /jitterStrategy = sometimes: .*sometimes/);
});
