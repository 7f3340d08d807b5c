// Bad input throws BackoffError carrying backoff_last_error()'s message.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BackoffError, Policy, State } from '../src/index.js';

const EINVAL = -1;
const EUNKNOWN = -3;

test('a multiplier below 1 is rejected with its name and value', () => {
  assert.throws(() => new Policy({ multiplier: 0.5 }), (error) => {
    assert.ok(error instanceof BackoffError);
    assert.equal(error.code, EINVAL);
    assert.equal(error.message, 'multiplier: must be at least 1 (got 0.5)');
    return true;
  });
});

test('a cap below initial is rejected when the policy is built', () => {
  assert.throws(() => new Policy({ initial: '10s', cap: '1s' }), { code: EINVAL, message: /cap/ });
});

test('a misspelled parameter name is unknown', () => {
  assert.throws(() => new Policy({ multipler: '2' }), { code: EUNKNOWN, message: /multipler/ });
  assert.throws(() => new Policy({ max_attempt: 3 }), { code: EUNKNOWN, message: /max_attempt/ });
});

test('a negative hint is rejected and counts no attempt', () => {
  const state = new State(new Policy({ jitter: 'none' }));
  assert.throws(() => state.nextAt(0n, -1n), { code: EINVAL, message: /hint_ns/ });
  assert.equal(state.attempt, 0n);
});

test('use after close throws, and a second close is a no-op', () => {
  const policy = new Policy();
  policy.close();
  policy.close();
  assert.throws(() => policy.delayNs(0n), /after close/);
});
