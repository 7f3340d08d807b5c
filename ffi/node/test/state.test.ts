// The stateful API in a retry loop: on simulated time through the ...At calls, and on the real clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Policy, State, monotonicNowNs } from '../src/index.js';

const MS = 1_000_000n;
const S = 1_000_000_000n;

class Transient extends Error {}

function failing(times: number) {
  return () => {
    if (times-- > 0) throw new Transient();
  };
}

// The loop a caller writes on a clock it keeps: ask nextAt for each wait, then move the clock.
function retryOnSimulatedTime(state: State, operation: () => void) {
  let now = 0n;
  state.resetAt(now);
  for (let calls = 1; ; calls++) {
    try {
      operation();
      return { calls, error: null };
    } catch (error) {
      if (!(error instanceof Transient)) throw error;
      const delay = state.nextAt(now);
      if (delay === null) return { calls, error };
      now += delay;
    }
  }
}

test('the retry loop succeeds once the operation recovers', () => {
  const state = new State(new Policy({ max_attempts: 5 }));
  assert.deepEqual(retryOnSimulatedTime(state, failing(2)), { calls: 3, error: null });
  assert.equal(state.attempt, 2n);
});

test('max_attempts counts the first call', () => {
  const { calls, error } = retryOnSimulatedTime(new State(new Policy({ max_attempts: 3 })), failing(10));
  assert.equal(calls, 3);
  assert.ok(error instanceof Transient);
});

test('max_elapsed stops before a wait that would pass it', () => {
  // Waits of 1 s, 2 s and 4 s bring the simulated clock to 7 s; another 8 s would pass 10 s.
  const state = new State(new Policy({ initial: '1s', jitter: 'none', max_elapsed: '10s' }));
  assert.equal(retryOnSimulatedTime(state, failing(10)).calls, 4);
  assert.equal(state.elapsedAt(7n * S), 7n * S);
});

test('a server hint is a floor and still capped', () => {
  const state = new State(new Policy({ jitter: 'none', cap: '2s' }));
  assert.equal(state.nextAt(0n, 500n * MS), 500n * MS);
  assert.equal(state.nextAt(0n, 3600n * S), 2n * S);
});

test('typed and text settings build the same schedule', () => {
  const typed = new Policy({ initial: 250n * MS, multiplier: 1.5, cap: 10n * S, jitter: 'full', seed: 2n ** 64n - 1n });
  const text = new Policy({ initial: '250ms', multiplier: '1.5', cap: '10s', jitter: 'full', seed: '18446744073709551615' });
  for (let attempt = 0n; attempt < 30n; attempt++) {
    assert.equal(typed.delayNs(attempt, 4n), text.delayNs(attempt, 4n));
  }
});

test('a seeded state follows the stateless schedule with key 0', () => {
  const policy = new Policy({ seed: 7, jitter: 'full' });
  const state = new State(policy);
  for (let attempt = 0n; attempt < 20n; attempt++) assert.equal(state.next(), policy.delayNs(attempt, 0n));
});

test('reset replays a seeded sequence and stop is sticky', () => {
  const state = new State(new Policy({ seed: 11, max_attempts: 4 }));
  const first = Array.from({ length: 5 }, () => state.next());
  state.reset();
  assert.deepEqual(Array.from({ length: 5 }, () => state.next()), first);
  assert.deepEqual(first.slice(3), [null, null]);
});

test('the delay never passes the cap for huge attempts', () => {
  const policy = new Policy({ cap: '30s', seed: 1 });
  for (const attempt of [63n, 64n, 2n ** 63n, 2n ** 64n - 1n]) {
    const delay = policy.delayNs(attempt, 99n);
    assert.ok(delay !== null && delay >= 0n && delay <= 30n * S, `delayNs(${attempt}) = ${delay}`);
  }
});

test('a state outlives its policy', () => {
  const policy = new Policy({ jitter: 'none' });
  const state = new State(policy);
  policy.close();
  assert.equal(state.next(), 100n * MS);
});

test('the retry loop sleeps on the real clock', async () => {
  const operation = failing(2);
  const state = new State(new Policy({ initial: '1ms', max_attempts: 5 }));
  let calls = 0;
  for (;;) {
    calls++;
    try {
      operation();
      break;
    } catch {
      const delay = state.next();
      assert.ok(delay !== null);
      await sleep(Number(delay / 1000n) / 1000);
    }
  }
  assert.equal(calls, 3);
});

test('monotonicNowNs is the scale of the state\'s own clock', () => {
  const state = new State(new Policy()); // started on the monotonic clock
  const elapsed = state.elapsedAt(monotonicNowNs() + S);
  assert.ok(elapsed >= S && elapsed < 61n * S, `elapsedAt(now + 1s) = ${elapsed}`);
});
