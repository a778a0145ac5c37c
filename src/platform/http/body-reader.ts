import type { RejectionItem } from '../decider/decider.js';
import { ProblemException } from './problem.js';

/**
 * Reads a JSON object strictly: every field is checked for its type, unknown fields are errors,
 * and all problems are collected (with a JSON pointer each) before one 400 is raised.
 */
export class BodyReader {
  readonly errors: RejectionItem[] = [];

  /** Checks `value` is an object and that it has no fields other than `allowed`. */
  object(value: unknown, pointer: string, allowed: readonly string[]): Record<string, unknown> | null {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(pointer, 'must_be_object', 'must be a JSON object');
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key))
        this.fail(
          `${pointer}/${key}`,
          'unknown_field',
          `is not a known field (allowed: ${allowed.join(', ')})`,
        );
    }
    return value as Record<string, unknown>;
  }

  array(value: unknown, pointer: string, min: number, max: number): unknown[] | null {
    if (!Array.isArray(value)) {
      this.fail(pointer, 'must_be_array', 'must be a JSON array');
      return null;
    }
    if (value.length < min || value.length > max) {
      this.fail(
        pointer,
        value.length > max ? 'batch_too_large' : 'batch_empty',
        `must hold ${min} to ${max} items (has ${value.length})`,
      );
      return null;
    }
    return value;
  }

  string(value: unknown, pointer: string, optional = false): string | null {
    if (value === undefined && optional) return null;
    if (typeof value !== 'string') {
      this.fail(pointer, 'must_be_string', 'must be a string');
      return null;
    }
    return value;
  }

  integer(value: unknown, pointer: string, min: number, max: number, optional = false): number | null {
    if (value === undefined && optional) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(pointer, 'must_be_integer', `must be an integer from ${min} to ${max}`);
      return null;
    }
    return value;
  }

  fail(field: string, code: string, detail: string): void {
    this.errors.push({ field, code, detail: `${field || 'body'} ${detail}` });
  }

  /** Raises one 400 problem listing every error, if there were any. */
  throwIfInvalid(): void {
    if (this.errors.length === 0) return;
    throw ProblemException.badRequest(
      'invalid_request',
      `The request has ${this.errors.length} invalid field(s); nothing was written.`,
      this.errors.slice(0, 100),
    );
  }
}
