import http from 'node:http';
import { signRequest } from '../../../src/platform/signatures/index.js';
import type { Json, Signer } from '../../support/test-app.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  readonly body: Json;
}

/**
 * One request over node:http, through `agent` (a bounded pool of sockets: thousands of requests in
 * flight at once without thousands of sockets), signed by `signer` unless it is null. `headers`
 * may hold arrays (a header sent on several lines) and are sent exactly as given.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: {
    readonly body?: string | Buffer;
    readonly headers?: Record<string, string | string[]>;
    readonly signer?: Signer | null;
    readonly agent?: http.Agent;
    readonly timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  const headers: Record<string, string | string[]> = { ...options.headers };
  if (options.body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  if (options.signer) {
    const signature = signRequest({
      method,
      url: baseUrl + path,
      headers: headers as Record<string, string>,
      body: options.body,
      keyId: options.signer.keyId,
      secretKey: options.signer.secretKey,
    });
    Object.assign(headers, signature);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      baseUrl + path,
      { method, headers, agent: options.agent, timeout: options.timeoutMs ?? 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Json;
          try {
            body = text === '' ? null : JSON.parse(text);
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
