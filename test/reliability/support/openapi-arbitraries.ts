import fs from 'node:fs';
import fc from 'fast-check';
import YAML from 'yaml';
import { OPENAPI_PATH } from '../../../src/create-app.js';

/**
 * openapi.yaml's operations and fast-check arbitraries built from their schemas: values that
 * follow the schema (as far as a generator can: types, enums, const, required fields, lengths,
 * bounds, patterns) and values that break it in one place or everywhere.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = any;

export interface Operation {
  readonly id: string;
  readonly method: string;
  /** The path template, e.g. /v1/payments/{id}. */
  readonly path: string;
  readonly pathParams: ReadonlyArray<{ name: string; schema: Schema }>;
  readonly queryParams: ReadonlyArray<{ name: string; schema: Schema; required: boolean }>;
  readonly headerParams: ReadonlyArray<{ name: string; schema: Schema; required: boolean }>;
  readonly body: Schema | null;
}

export interface FuzzRequest {
  readonly operation: Operation;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** The exact body text (may be invalid JSON), or undefined for none. */
  readonly body: string | undefined;
  /** Whether the generator meant it to be valid (it may still be refused by the domain). */
  readonly meantValid: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SPEC: any = YAML.parse(fs.readFileSync(OPENAPI_PATH, 'utf8'));

function resolve(schema: Schema, depth = 0): Schema {
  if (schema && typeof schema === 'object' && typeof schema.$ref === 'string' && depth < 20) {
    const parts = (schema.$ref as string).replace(/^#\//, '').split('/');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let target: any = SPEC;
    for (const part of parts) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return resolve(target, depth + 1);
  }
  return schema;
}

export function operations(): Operation[] {
  const result: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(SPEC.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch']) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Schema) => resolve(p));
      const body = op.requestBody ? resolve(op.requestBody) : null;
      result.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        pathParams: params
          .filter((p: Schema) => p.in === 'path')
          .map((p: Schema) => ({ name: p.name, schema: resolve(p.schema) })),
        queryParams: params
          .filter((p: Schema) => p.in === 'query')
          .map((p: Schema) => ({ name: p.name, schema: resolve(p.schema), required: !!p.required })),
        headerParams: params
          .filter((p: Schema) => p.in === 'header')
          .map((p: Schema) => ({ name: p.name, schema: resolve(p.schema), required: !!p.required })),
        body: body?.content?.['application/json']?.schema
          ? resolve(body.content['application/json'].schema)
          : null,
      });
    }
  }
  return result;
}

/** Anything JSON, including awkward strings and numbers. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '𝔘𝔫𝔦',
    '-1',
    '1e309',
    'NaN',
    '../../etc/passwd',
    "'; drop table events; --",
    '9'.repeat(400),
  ),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, true, false, null),
);

/** A value meant to follow `schema`. */
export function valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  schema = resolve(schema);
  if (!schema || depth > 6) return anyJson;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const examples: unknown[] = [
    ...(schema.example !== undefined ? [schema.example] : []),
    ...(Array.isArray(schema.examples) ? schema.examples : []),
  ];
  const variants = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(variants)) return fc.oneof(...variants.map((v: Schema) => valid(v, depth + 1)));
  if (Array.isArray(schema.allOf)) {
    return fc
      .tuple(...schema.allOf.map((v: Schema) => valid(v, depth + 1)))
      .map((parts) => Object.assign({}, ...parts.filter((p) => p && typeof p === 'object')));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  let arbitrary: fc.Arbitrary<unknown>;
  switch (type) {
    case 'object': {
      const properties: Record<string, Schema> = schema.properties ?? {};
      const required: string[] = schema.required ?? [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) model[name] = valid(property, depth + 1);
      arbitrary = fc.record(model, { requiredKeys: required.filter((r) => r in model) });
      break;
    }
    case 'array':
      arbitrary = fc.array(valid(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
      break;
    case 'integer':
      arbitrary = fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
      break;
    case 'number':
      arbitrary = fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
      break;
    case 'boolean':
      arbitrary = fc.boolean();
      break;
    case 'string': {
      let strings: fc.Arbitrary<string> | null = null;
      if (typeof schema.pattern === 'string') {
        try {
          strings = fc.stringMatching(new RegExp(schema.pattern));
        } catch {
          strings = null;
        }
      }
      if (strings === null && schema.format === 'uuid') strings = fc.uuid();
      strings ??= fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 40, 200),
      });
      arbitrary = strings;
      break;
    }
    default:
      arbitrary = anyJson;
  }
  return examples.length > 0 ? fc.oneof(fc.constantFrom(...examples), arbitrary) : arbitrary;
}

/** A value meant to break `schema`: wrong type, a missing required field, an unknown field, junk. */
export function invalid(schema: Schema): fc.Arbitrary<unknown> {
  schema = resolve(schema);
  const breakings: Array<fc.Arbitrary<unknown>> = [anyJson];
  if (schema?.type === 'object' || schema?.properties) {
    const required: string[] = schema.required ?? [];
    if (required.length > 0) {
      breakings.push(
        fc.tuple(valid(schema), fc.constantFrom(...required)).map(([value, drop]) => {
          const copy = { ...(value as object) } as Record<string, unknown>;
          delete copy[drop];
          return copy;
        }),
      );
    }
    breakings.push(
      valid(schema).map((value) => ({ ...(value as object), ['unexpected' + 'Field']: 1 })),
      fc
        .tuple(valid(schema), fc.constantFrom(...Object.keys(schema.properties ?? { x: 1 })), anyJson)
        .map(([value, field, junk]) => ({ ...(value as object), [field]: junk })),
    );
  }
  return fc.oneof(...breakings);
}

function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

const badText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('%', '..', '%00', 'a'.repeat(300), '🙂', ' '),
);

/** A whole request for `operation`: valid or broken in its body, parameters and headers. */
export function requestFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const pathValue = (schema: Schema, meantValid: boolean) =>
    (meantValid ? valid(schema) : fc.oneof(valid(schema), badText)).map((v) => String(v));
  return fc.boolean().chain((meantValid) => {
    const pathArbs: Record<string, fc.Arbitrary<string>> = {};
    for (const p of operation.pathParams) pathArbs[p.name] = pathValue(p.schema, meantValid);
    const queryArbs: Record<string, fc.Arbitrary<string>> = {};
    for (const q of operation.queryParams) queryArbs[q.name] = pathValue(q.schema, meantValid);
    const bodyArb: fc.Arbitrary<string | undefined> =
      operation.body === null
        ? fc.constant(undefined)
        : meantValid
          ? valid(operation.body).map((v) => JSON.stringify(v))
          : fc.oneof(
              invalid(operation.body).map((v) => JSON.stringify(v) ?? 'null'),
              fc.constantFrom('{', '{"a":', 'not json', '[]', '""', '{"__proto__":{"x":1}}', '\u0000'),
            );
    const keyArb = fc.oneof(
      { weight: 6, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.constantFrom('', ' ', 'k'.repeat(256), 'cl\u00e9 (latin-1)', 'a b') },
    );
    return fc
      .record({
        params: fc.record(pathArbs),
        query: fc.record(queryArbs, { requiredKeys: [] }),
        body: bodyArb,
        key: keyArb,
        sendKey: meantValid ? fc.constant(true) : fc.boolean(),
      })
      .map(({ params, query, body, key, sendKey }) => {
        const search = new URLSearchParams(query as Record<string, string>).toString();
        const headers: Record<string, string> = {};
        if (sendKey && operation.headerParams.some((h) => h.name.toLowerCase() === 'idempotency-key')) {
          headers['idempotency-key'] = key;
        }
        return {
          operation,
          path: fillPath(operation.path, params) + (search ? `?${search}` : ''),
          headers,
          body,
          meantValid,
        };
      });
  });
}
