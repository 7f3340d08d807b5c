// CircuitBreakerPool and RetryBudgetPool: a breaker and a budget per key, on the library's pools.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BackoffError, CircuitBreakerOpenError, CircuitBreakerPool, RetryBudget, RetryBudgetPool, withJitteredRetry }
  from '../src/index.js';

const boom = async (): Promise<string> => {
  throw new Error('boom');
};
const ok = async (): Promise<string> => 'ok';

/** Retries a call that always fails, 1 ms apart, until the budget refuses: spends it all. */
async function spend(budget: RetryBudget): Promise<void> {
  const retried = withJitteredRetry(boom, { maxRetries: 10, baseDelayMs: 1, maxDelayMs: 1, budget,
    shouldRetry: () => true });
  await assert.rejects(retried());
}

test('tripping one key\'s breaker leaves the other keys closed', async (t) => {
  const pool = new CircuitBreakerPool(16, { failureThreshold: 2, cooldownMs: 60_000, isFailure: () => true });
  t.after(() => pool.close());
  await assert.rejects(pool.execute('db-1', boom), /boom/);
  await assert.rejects(pool.execute('db-1', boom), /boom/);
  let called = false;
  await assert.rejects(pool.execute('db-1', async () => { called = true; }), (error: unknown) => {
    assert.ok(error instanceof CircuitBreakerOpenError);
    assert.ok(error.cooldownRemainingMs > 59_000 && error.cooldownRemainingMs <= 60_000);
    return true;
  });
  assert.equal(called, false);
  assert.equal(await pool.execute('db-2', ok), 'ok');
  assert.deepEqual([pool.state('db-1'), pool.state('db-2')], ['open', 'closed']);
});

test('the pool drops the least recently used key, which comes back closed', async (t) => {
  const pool = new CircuitBreakerPool(4, { failureThreshold: 1, cooldownMs: 60_000, isFailure: () => true });
  t.after(() => pool.close());
  await assert.rejects(pool.execute('tripped', boom), /boom/);
  for (let i = 0; i < 10; i++) {
    await pool.execute(`key-${i}`, ok);
    assert.ok(pool.size <= 4, `size ${pool.size}`);
  }
  assert.deepEqual([pool.size, pool.state('tripped')], [4, 'closed']);
  assert.equal(await pool.execute('tripped', ok), 'ok');
});

test('a call whose key was dropped while it ran changes nothing', async (t) => {
  const pool = new CircuitBreakerPool(1, { failureThreshold: 1, isFailure: () => true });
  t.after(() => pool.close());
  await assert.rejects(pool.execute('a', async () => {
    await pool.execute('b', ok); // drops 'a'
    throw new Error('late');
  }), /late/);
  assert.equal(pool.state('a'), 'closed');
});

test('one pool serves many keys\' calls in flight at once', async (t) => {
  const pool = new CircuitBreakerPool(64, { failureThreshold: 3, isFailure: () => true });
  t.after(() => pool.close());
  const calls = [];
  for (let i = 0; i < 2000; i++) {
    const key = `host-${i % 100}`;
    calls.push(pool.execute(key, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (key === 'host-7') throw new Error('down');
      return key;
    }).catch((error: unknown) => error));
  }
  const results = await Promise.all(calls);
  assert.equal(pool.size, 64);
  // Every call but host-7's succeeded: one key's failures did not spill over to the others.
  assert.equal(results.filter((result) => typeof result === 'string').length, 2000 - 20);
});

test('pools reject max_keys out of range, naming it', () => {
  for (const maxKeys of [0, 2 ** 20 + 1]) {
    for (const make of [() => new CircuitBreakerPool(maxKeys), () => new RetryBudgetPool(maxKeys)]) {
      assert.throws(make, (error: unknown) => {
        assert.ok(error instanceof BackoffError);
        assert.match(error.message, new RegExp(`max_keys.*${maxKeys}`));
        return true;
      });
    }
  }
  assert.throws(() => new CircuitBreakerPool(8, { failureThreshold: 0 }), /failureThreshold = 0: failure_threshold/);
});

test('spending one key\'s budget leaves the other keys full', async (t) => {
  const pool = new RetryBudgetPool(8, { capacity: 10, retry_cost: 5 });
  t.after(() => pool.close());
  await spend(pool.get('db-1'));
  assert.equal(pool.get('db-1').balance, 0, 'a second handle shares the spent budget');
  assert.equal(pool.get('db-2').balance, 10);
});

test('the budget pool drops the least recently used key, which comes back full', async (t) => {
  const pool = new RetryBudgetPool(2, { capacity: 10, retry_cost: 5 });
  t.after(() => pool.close());
  const spent = pool.get('spent');
  await spend(spent);
  for (let i = 0; i < 5; i++) pool.get(`key-${i}`).close();
  assert.equal(pool.size, 2);
  assert.equal(pool.get('spent').balance, 10);
  assert.equal(spent.balance, 0, 'a budget taken before the drop keeps its own tokens');
});

test('a closed pool answers with the library\'s error', async () => {
  const pool = new CircuitBreakerPool(2);
  pool.close();
  pool.close();
  await assert.rejects(pool.execute('a', ok), BackoffError);
});
