// Times libbackoff through koffi (ffi/node): what a koffi call costs on top of the C core. Prints one
// line per case, "node<TAB>name<TAB>ns per call" (the median of several rounds), for bench/ffi/run.
import { Policy, State, library } from '../../../ffi/node/dist/src/index.js';

const CALLS = 1_000_000;
const ROUNDS = 5;

function report(name, step) {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) step(i);
    rounds.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  rounds.sort((a, b) => a - b);
  console.log(`node\t${name}\t${rounds[ROUNDS >> 1].toFixed(2)}`);
}

// cenkalti/backoff's defaults, as in the C and Go benchmarks.
const policy = new Policy({
  initial: '500ms', multiplier: 1.5, cap: '60s', jitter: 'randomization', randomization_factor: 0.5,
  max_elapsed: '15m',
});
const state = new State(policy);
const { versionNumber } = library();
report('koffi: empty call into libbackoff.so', () => versionNumber());
report('ours: State.nextAt (no clock)', () => state.nextAt(0n));
report('ours: Policy.delayNs (stateless)', (i) => policy.delayNs(i & 63, 42));
