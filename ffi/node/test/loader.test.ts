// Where backoff.js finds libbackoff.so: BACKOFF_LIBRARY, else the system loader.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { test } from 'node:test';

import { library } from '../src/index.js';

const probe = "import { Policy } from './dist/src/index.js'; console.log(String(new Policy({ jitter: 'none' }).delayNs(0n)));";

function runProbe(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: new URL('../..', import.meta.url), env, encoding: 'utf8',
  });
}

test('the loaded library is the version this module speaks', () => {
  assert.match(library().versionString(), /^0\./);
});

test('the system loader finds the library on LD_LIBRARY_PATH', () => {
  const path = process.env.BACKOFF_LIBRARY;
  assert.ok(path, 'run with BACKOFF_LIBRARY set to the libbackoff.so under test (scripts/test-ffi does)');
  const { BACKOFF_LIBRARY, ...env } = process.env;
  const result = runProbe({ ...env, LD_LIBRARY_PATH: dirname(path) });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '100000000');
});

test('a missing library fails with a message that says how to point at it', () => {
  const result = runProbe({ ...process.env, BACKOFF_LIBRARY: '/nonexistent/libbackoff.so' });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /set BACKOFF_LIBRARY/);
});
