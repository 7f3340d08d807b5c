// The shared test vectors (tests/vectors/delays.tsv): every delay bit-identical to the C library's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Policy, State, keyHash } from '../src/index.js';

const STOP = '-1';
const path = process.env.BACKOFF_VECTORS ||
  fileURLToPath(new URL('../../../../tests/vectors/delays.tsv', import.meta.url));

interface Row {
  name: string;
  config: string;
  form: string;
  key: string;
  expected: string;
}

function readRows(): Row[] {
  const rows: Row[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split('\t');
    assert.equal(fields.length, 5, `${path}:${index + 1}: want 5 tab-separated fields`);
    const [name, config, form, key, expected] = fields as [string, string, string, string, string];
    rows.push({ name, config, form, key, expected });
  });
  assert.ok(rows.length > 0, `${path} holds no vectors`);
  return rows;
}

function policyOf(config: string) {
  return new Policy(Object.fromEntries(config.split(',').map((pair: string) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)];
  })));
}

const asText = (delayNs: bigint | null) => (delayNs === null ? STOP : String(delayNs));

function checkRow({ config, form, key, expected }: Row) {
  const policy = policyOf(config);
  const keyValue = key.startsWith('bytes:') ? keyHash(Buffer.from(key.slice('bytes:'.length), 'hex'))
    : key === '-' ? 0n : BigInt(key);
  const want = expected.split(',');
  try {
    if (form === 'delay') {
      // Attempts go up to 2^64 - 1: BigInt all the way.
      const got = want.map((pair: string) => {
        const attempt = pair.slice(0, pair.indexOf(':'));
        return `${attempt}:${asText(policy.delayNs(BigInt(attempt), keyValue))}`;
      });
      assert.deepEqual(got, want);
    } else if (form === 'next') {
      const state = new State(policy);
      const got = want.map(() => asText(state.nextAt(0n, 0n)));
      state.close();
      assert.deepEqual(got, want);
    } else {
      assert.fail(`unknown form '${form}'`);
    }
  } finally {
    policy.close();
  }
}

let rows: Row[] | undefined;
try {
  rows = readRows();
} catch (error) {
  // A missing or malformed file is a failing test, never a skip.
  test('the shared test vectors are readable', () => {
    assert.fail(`the shared test vectors are required: ${(error as Error).message}`);
  });
}
for (const row of rows ?? []) {
  test(`vector ${row.name} gives bit-identical delays`, () => checkRow(row));
}
