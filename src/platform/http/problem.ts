import type { Rejection, RejectionItem } from '../decider/decider.js';

/**
 * RFC 9457 problem details: the one error shape of the API. `code` is the stable,
 * machine-readable identifier a client switches on; `type` is the same code as a URN.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  /** The request's X-Request-Id (the client's or the one the service gave it): find it in the logs. */
  readonly requestId?: string;
  readonly errors?: readonly RejectionItem[];
}

export function problemType(code: string): string {
  return `urn:problem-type:yuanbridge:${code}`;
}

/** Thrown anywhere in request handling; the problem filter turns it into the response. */
export class ProblemException extends Error {
  constructor(
    readonly problem: Rejection,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail);
  }

  static badRequest(code: string, detail: string, errors?: readonly RejectionItem[]): ProblemException {
    return new ProblemException({ code, status: 400, title: 'The request is not valid', detail, errors });
  }

  static notFound(code: string, detail: string): ProblemException {
    return new ProblemException({ code, status: 404, title: 'Not found', detail });
  }
}

export function toProblem(rejection: Rejection, instance?: string, requestId?: string): ProblemDetails {
  return {
    type: problemType(rejection.code),
    title: rejection.title,
    status: rejection.status,
    detail: rejection.detail,
    code: rejection.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(rejection.errors ? { errors: rejection.errors } : {}),
  };
}
