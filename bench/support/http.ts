import http from 'node:http';

/**
 * A minimal HTTP client on a keep-alive agent. The request body is a prepared string and the
 * response is collected as raw bytes: JSON work on the client side happens before and after the
 * clock runs, so an in-process client takes as little as possible from the server's event loop.
 */
export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(private readonly base: string) {}

  post(
    path: string,
    body: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        new URL(path, this.base),
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...extraHeaders,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** One GET with no keep-alive; resolves to the status, or 0 when nothing listens yet. */
export function getStatus(url: string, timeoutMs = 1_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (c: string) => (body += c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', () => resolve({ status: 0, body: '' }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve({ status: 0, body: '' }));
  });
}
