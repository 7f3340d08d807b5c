// fetch and axios against a real HTTP server on 127.0.0.1, through both wrappers.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import axios, { type AxiosRequestConfig } from 'axios';

import { CircuitBreakerOpenError, withCircuitBreaker, withJitteredRetry } from '../src/index.js';
import { fetchText, serve } from './support/server.js';

test('fetch: a service that fails twice with 503 is retried until it answers', async () => {
  const server = await serve([{ status: 503 }, { status: 503 }, { status: 200, body: 'hello' }]);
  try {
    const get = withJitteredRetry(fetchText, { baseDelayMs: 5 });
    assert.equal(await get(server.url), 'hello');
    assert.equal(server.requests, 3);
  } finally {
    await server.close();
  }
});

test('axios: the seed\'s resilient request, breaker around retry', async () => {
  const server = await serve([{ status: 502 }, { status: 200, body: 'entries' }]);
  try {
    const request = withCircuitBreaker(
      withJitteredRetry((config: AxiosRequestConfig) => axios.request<string>(config), { baseDelayMs: 5 }),
      { failureThreshold: 5 },
    );
    const response = await request({ method: 'GET', url: server.url });
    assert.equal(response.data, 'entries');
    assert.equal(server.requests, 2);
    assert.equal(request.breaker.count('successes'), 1);
  } finally {
    await server.close();
  }
});

test('a 404 is not retried, with fetch or axios', async () => {
  const server = await serve([{ status: 404 }]);
  try {
    await assert.rejects(withJitteredRetry(fetchText, { baseDelayMs: 5 })(server.url), /HTTP 404/);
    await assert.rejects(withJitteredRetry(axios.get, { baseDelayMs: 5 })(server.url), /404/);
    assert.equal(server.requests, 2);
  } finally {
    await server.close();
  }
});

test('Retry-After is a floor on the wait, still capped by maxDelayMs', async () => {
  const server = await serve([
    { status: 429, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': '0' } }, { status: 200 },
  ]);
  const delays: number[] = [];
  try {
    const get = withJitteredRetry(fetchText, {
      baseDelayMs: 1, maxDelayMs: 150, jitterStrategy: 'none', onRetry: (_error, _attempt, delayMs) => delays.push(delayMs),
    });
    await get(server.url);
    assert.deepEqual(delays, [150, 2]); // 1 s asked, 150 ms allowed; then "0" leaves the policy's 2 ms
  } finally {
    await server.close();
  }
});

test('axios against a port nobody listens on: connection refused is retried, then the breaker opens', async () => {
  const server = await serve([{ status: 200 }]);
  const url = server.url;
  await server.close(); // the port is free now: every connection is refused
  const get = withJitteredRetry(withCircuitBreaker((target: string) => axios.get(target), { failureThreshold: 2 }),
    { baseDelayMs: 1, maxRetries: 5 });
  await assert.rejects(get(url), (error: unknown) => axios.isAxiosError(error) && error.code === 'ECONNREFUSED');
  await assert.rejects(get(url), CircuitBreakerOpenError);
});
