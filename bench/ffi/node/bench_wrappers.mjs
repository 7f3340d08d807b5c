// Times the success path of a wrapped async call, ours (ffi/node) beside cockatiel, opossum and p-retry,
// and what the koffi calls on that path cost by themselves. Prints "node<TAB>name<TAB>ns per call" lines
// for bench/ffi/run. A wrapper's row is its overhead: the wrapped call's time minus a bare `await fn()`.
// Cases take turns round by round, so a load spike on a shared machine hits all of them alike; each row is
// the median of the rounds.
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, retry, wrap } from 'cockatiel';
import Opossum from 'opossum';
import pRetry from 'p-retry';

import { CircuitBreaker, library, withCircuitBreaker, withJitteredRetry } from '../../../ffi/node/dist/src/index.js';

const CALLS = 100_000;
const ROUNDS = 9;

const service = async (x) => x;

// Like for like: 4 retries, exponential waits, a breaker opening after 5 failures in a row for 30 s.
const cockatielRetry = retry(handleAll, { maxAttempts: 4, backoff: new ExponentialBackoff() });
const cockatielBreaker = () => circuitBreaker(handleAll, { halfOpenAfter: 30_000, breaker: new ConsecutiveBreaker(5) });
const cockatielBoth = wrap(cockatielRetry, cockatielBreaker());
const cockatielAlone = cockatielBreaker();
// opossum's per-call timeout timer is off: neither ours nor cockatiel's breaker times calls out.
const opossum = new Opossum(service, { resetTimeout: 30_000, timeout: false });
const consecutive = { failureThreshold: 5, cooldownMs: 30_000 }; // failures in a row, as cockatiel's ConsecutiveBreaker
const oursRetry = withJitteredRetry(service);
const oursBreaker = withCircuitBreaker(service, consecutive);
const oursBoth = withJitteredRetry(withCircuitBreaker(service, consecutive));
const oursSeedOrder = withCircuitBreaker(withJitteredRetry(service), consecutive);

const asyncCases = {
  'bare await fn() (baseline)': (i) => service(i),
  'ours: withJitteredRetry(withCircuitBreaker(fn)) (retry + breaker)': (i) => oursBoth(i),
  'ours: withCircuitBreaker(withJitteredRetry(fn)) (breaker + retry)': (i) => oursSeedOrder(i),
  'cockatiel: wrap(retry, circuitBreaker) (retry + breaker)': (i) => cockatielBoth.execute(() => service(i)),
  'ours: withCircuitBreaker (breaker)': (i) => oursBreaker(i),
  'cockatiel: circuitBreaker (breaker)': (i) => cockatielAlone.execute(() => service(i)),
  'opossum: fire (breaker)': (i) => opossum.fire(i),
  'ours: withJitteredRetry (retry)': (i) => oursRetry(i),
  'cockatiel: retry (retry)': (i) => cockatielRetry.execute(() => service(i)),
  'p-retry: pRetry (retry)': (i) => pRetry(() => service(i), { retries: 4 }),
};

// The koffi calls each wrapper makes per successful call, made directly, without awaiting anything.
const native = library();
const breaker = new CircuitBreaker(consecutive);
const retrier = [null];
native.retrierNew(retrier, new (await import('../../../ffi/node/dist/src/index.js')).Policy().handle);
native.retrierSetBreaker(retrier[0], breaker.handle);
const syncCases = {
  'koffi: empty call into libbackoff.so': () => native.versionNumber(),
  'koffi: breaker acquire + record (withCircuitBreaker\'s 2 calls)': () => {
    native.breakerAcquire(native.out.ptr, native.out2.ptr, breaker.handle);
    native.breakerRecord(breaker.handle, native.out.u64[0], 0, 0, 0);
  },
  'koffi: retrier before_attempt + on_success + reset (retry + breaker\'s 3 calls)': () => {
    native.retrierBeforeAttempt(native.out.ptr, retrier[0]);
    native.retrierOnSuccess(retrier[0]);
    native.retrierReset(retrier[0]);
  },
};

async function timeAsync(step) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await step(i);
  return Number(process.hrtime.bigint() - start) / CALLS;
}

function timeSync(step) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS * 10; i++) step(i);
  return Number(process.hrtime.bigint() - start) / (CALLS * 10);
}

const rounds = Object.fromEntries([...Object.keys(asyncCases), ...Object.keys(syncCases)].map((name) => [name, []]));
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, step] of Object.entries(asyncCases)) {
    const ns = await timeAsync(step);
    if (round > 0) rounds[name].push(ns); // round 0 warms the JIT up
  }
  for (const [name, step] of Object.entries(syncCases)) {
    const ns = timeSync(step);
    if (round > 0) rounds[name].push(ns);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const baseline = median(rounds['bare await fn() (baseline)']);
for (const [name, values] of Object.entries(rounds)) {
  const isWrapper = name in asyncCases && !name.startsWith('bare');
  // Per round, so the baseline's drift over the run cancels out.
  const value = isWrapper ? median(values.map((ns, i) => ns - rounds['bare await fn() (baseline)'][i])) : median(values);
  console.log(`node\t${isWrapper ? `${name} overhead` : name}\t${value.toFixed(2)}`);
}
void baseline;
