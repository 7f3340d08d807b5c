// A real HTTP server on 127.0.0.1 that answers from a script: one status (and headers) per request, the
// last repeated, so tests can make a service fail a few times and then recover.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface ScriptedServer {
  readonly url: string;
  /** How many requests it has answered. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function serve(replies: Reply[]): Promise<ScriptedServer> {
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    const reply = replies[Math.min(requests, replies.length - 1)]!;
    requests++;
    response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
    response.end(reply.body ?? String(reply.status));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get requests() {
      return requests;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** An error carrying a fetch Response, as an HTTP client of the caller's would throw for a bad status. */
export class HttpError extends Error {
  readonly status: number;
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
    this.status = response.status;
  }
}

/** fetch that throws HttpError for a status that is not 2xx. */
export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new HttpError(response);
  return response.text();
}
