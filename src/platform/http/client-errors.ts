import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { toProblem } from './problem.js';

/**
 * Requests Node's HTTP parser refuses before any of our code runs (headers over the size limit,
 * malformed request lines, smuggling attempts such as Content-Length with Transfer-Encoding, a
 * client too slow to send its headers) are answered as problem details too, like every other
 * error: by default Node writes a bare status line with no body.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, detail] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers are larger than the service accepts.']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request_timeout', 'The request was not received in time.']
          : [400, 'malformed_http', 'The request is not well-formed HTTP/1.1.'];
    const body = JSON.stringify(toProblem({ code, status, title: 'The request is not valid', detail }));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
