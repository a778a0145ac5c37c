import type { Problem } from './generated/api-types.js';

/** One entry of a problem's `errors`: a field (JSON pointer) or batch item, and its code. */
export type ProblemError = NonNullable<Problem['errors']>[number];

/**
 * A refusal from the service, carrying its RFC 9457 problem detail. Switch on `code`: it is
 * stable (openapi.yaml lists every one per operation), unlike `title` and `detail`.
 */
export class YuanbridgeProblem extends Error {
  override readonly name = 'YuanbridgeProblem';
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly instance: string | undefined;
  /** The request's id: quote it to the operator (it names the service's log line). */
  readonly requestId: string | undefined;
  readonly errors: readonly ProblemError[];
  /** The problem detail as the service sent it (extension members included). */
  readonly problem: Problem & Record<string, unknown>;

  constructor(problem: Problem & Record<string, unknown>) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
  }

  /**
   * From a non-2xx response. A body that is not a problem detail (a proxy's HTML error page)
   * still becomes a YuanbridgeProblem, with code `unexpected_response`, so callers handle one
   * error type.
   */
  static fromResponse(status: number, statusText: string, text: string, requestId?: string) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (isProblem(parsed)) return new YuanbridgeProblem(parsed);
    return new YuanbridgeProblem({
      type: 'about:blank',
      title: statusText || `HTTP ${status}`,
      status,
      detail: text.length > 0 ? text.slice(0, 500) : `HTTP ${status} with no problem detail`,
      code: 'unexpected_response',
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
}

function isProblem(value: unknown): value is Problem & Record<string, unknown> {
  const v = value as Partial<Problem> | null | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.status === 'number' &&
    typeof v.code === 'string' &&
    typeof v.detail === 'string'
  );
}
