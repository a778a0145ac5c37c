/**
 * Whether an error means the database cannot be reached right now (PostgreSQL restarting, shut
 * down, refusing connections, the connection cut), as opposed to a fault in our code: such a
 * request is answered 503 with Retry-After like a failed commit, not 500. Looks through TypeORM's
 * QueryFailedError (`driverError`) and `cause`.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 3) return false;
  const { code, message, driverError, cause } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string') {
    // Connection exceptions (class 08), admin/crash shutdown, cannot connect now (57P01–03).
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true;
  }
  if (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)/i.test(
      message,
    )
  ) {
    return true;
  }
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}
