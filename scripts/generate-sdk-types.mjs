#!/usr/bin/env node
// Generates src/sdk/generated/api-types.ts from openapi.yaml: a TypeScript type per schema in
// components.schemas, and per operation its parameters, body and responses, plus a runtime table
// (method, path, idempotency) the SDK's client is driven by.
//
// Usage:
//   node scripts/generate-sdk-types.mjs           write the file
//   node scripts/generate-sdk-types.mjs --check   exit 1 when the committed file is out of date
//
// Written here rather than taken from npm: openapi-typescript 7 requires TypeScript 5 as a peer
// and this repository is on TypeScript 6. The spec uses a small part of JSON Schema (objects,
// arrays, enums, const, oneOf, allOf, type arrays for null), which is what this covers; keywords
// that only constrain values (pattern, minimum, if/then, not) have no TypeScript form and are
// left out. Runs offline: it reads only the repository's openapi.yaml.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import YAML from 'yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SPEC_FILE = path.join(repoRoot, 'openapi.yaml');
export const OUTPUT_FILE = path.join(repoRoot, 'src', 'sdk', 'generated', 'api-types.ts');

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Resolves a local JSON pointer ($ref: '#/...') in the spec. */
function resolvePointer(spec, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  let node = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

function deref(spec, node) {
  let current = node;
  for (let i = 0; current && current.$ref && i < 20; i++) current = resolvePointer(spec, current.$ref);
  return current;
}

/** The document being generated (for $refs that point outside components.schemas). */
let currentSpec;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

function comment(text, indent) {
  if (!text) return '';
  const lines = String(text).trim().split('\n');
  const body = lines.map((l) => l.replace(/\*\//g, '*\\/'));
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */\n`;
}

/** The TypeScript type of a JSON Schema (as OpenAPI 3.1 uses it). */
function typeOf(schema, indent = '') {
  if (schema === undefined || schema === true || schema === null) return 'unknown';
  if (schema === false) return 'never';
  if (schema.$ref) {
    const match = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref);
    // A schema that points into another operation (the spec reuses some inline): inline it.
    return match ? match[1] : typeOf(resolvePointer(currentSpec, schema.$ref), indent);
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const { oneOf: _o, anyOf: _a, ...rest } = schema;
    const union = alternatives.map((s) => wrap(typeOf(s, indent))).join(' | ');
    return hasShape(rest) ? `(${typeOf(rest, indent)}) & (${union})` : union;
  }
  if (schema.allOf) {
    const { allOf: _, ...rest } = schema;
    const parts = schema.allOf.map((s) => wrap(typeOf(s, indent)));
    if (hasShape(rest)) parts.push(wrap(typeOf(rest, indent)));
    return parts.join(' & ');
  }
  if (Array.isArray(schema.type)) {
    return schema.type.map((t) => wrap(typeOf({ ...schema, type: t }, indent))).join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${typeOf(schema.items, indent)}>`;
    case 'object':
    case undefined:
      if (schema.type === undefined && !schema.properties && schema.additionalProperties === undefined)
        return 'unknown';
      return objectType(schema, indent);
    default:
      throw new Error(`unsupported schema type ${JSON.stringify(schema.type)}`);
  }
}

/** Whether a schema says anything about shape besides the keywords already taken off it. */
function hasShape(schema) {
  return schema.type !== undefined || schema.properties !== undefined || schema.$ref !== undefined;
}

function wrap(type) {
  return /[|&]/.test(type) && !/^[({]/.test(type) ? `(${type})` : type;
}

function objectType(schema, indent) {
  const inner = `${indent}  `;
  const required = new Set(schema.required ?? []);
  const lines = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    lines.push(
      `${comment(property.description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(property, inner)};`,
    );
  }
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    lines.push(`${inner}[key: string]: ${extra === true ? 'unknown' : typeOf(extra, inner)};`);
  } else if (extra === undefined && lines.length === 0) {
    return 'Record<string, unknown>';
  }
  if (lines.length === 0) return 'Record<string, never>';
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function responseBodyType(spec, response) {
  const resolved = deref(spec, response);
  const content = resolved.content;
  if (!content || Object.keys(content).length === 0) return 'undefined';
  const json = Object.entries(content).find(([type]) => /json$/.test(type) && type !== 'application/jsonl');
  if (json) return typeOf(json[1].schema);
  return 'string';
}

/** What the SDK reads a successful response as: parsed JSON, text, or nothing. */
function responseKind(spec, op) {
  const success = Object.entries(op.responses ?? {}).find(([code]) => /^2/.test(code));
  if (!success) return 'none';
  const content = deref(spec, success[1]).content;
  if (!content) return 'none';
  const types = Object.keys(content);
  if (types.some((t) => /json$/.test(t) && t !== 'application/jsonl')) return 'json';
  return types.some((t) => t === 'text/event-stream') ? 'stream' : 'text';
}

function parametersOf(spec, pathItem, op) {
  const byKey = new Map();
  for (const raw of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) {
    const p = deref(spec, raw);
    byKey.set(`${p.in}:${p.name}`, p);
  }
  return [...byKey.values()];
}

function paramsType(params, indent) {
  if (params.length === 0) return 'Record<string, never>';
  const inner = `${indent}  `;
  const lines = params.map(
    (p) =>
      `${comment(p.description, inner)}${inner}${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema, inner)};`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The generated module's text (formatted with the repository's Prettier settings). */
export async function generate(specText) {
  const spec = YAML.parse(specText);
  currentSpec = spec;
  const out = [];
  out.push(
    '// Generated by scripts/generate-sdk-types.mjs from openapi.yaml; do not edit by hand.',
    '// Regenerate with `npm run generate:sdk` (test/sdk checks that this file is up to date).',
    '',
    `/** The OpenAPI document's version (info.version). */`,
    `export const API_VERSION = ${JSON.stringify(spec.info.version)};`,
    '',
  );
  for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
    out.push(`${comment(schema.description, '')}export type ${name} = ${typeOf(schema)};`, '');
  }

  const table = [];
  const types = [];
  for (const [urlPath, pathItem] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = pathItem[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${urlPath} has no operationId`);
      const params = parametersOf(spec, pathItem, op);
      const idempotency = params.find((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
      const body = op.requestBody ? deref(spec, op.requestBody) : undefined;
      const bodySchema = body?.content?.['application/json']?.schema;
      // A body documented only as XML (the ISO 20022 routes) is sent as the caller's text.
      const xmlBody =
        body !== undefined && bodySchema === undefined && body.content?.['application/xml'] !== undefined;
      const security = op.security ?? spec.security ?? [];
      table.push(
        `  ${op.operationId}: { method: '${method.toUpperCase()}', path: '${urlPath}', ` +
          `tag: ${JSON.stringify(op.tags?.[0] ?? null)}, ` +
          `idempotencyKey: '${idempotency ? (idempotency.required ? 'required' : 'optional') : 'none'}', ` +
          `body: '${body ? (body.required ? 'required' : 'optional') : 'none'}', ` +
          `bodyType: '${body ? (xmlBody ? 'xml' : 'json') : 'none'}', ` +
          `signed: ${security.length > 0}, response: '${responseKind(spec, op)}' },`,
      );
      const responses = Object.entries(op.responses ?? {}).map(
        ([code, response]) =>
          `      ${/^\d+$/.test(code) ? code : JSON.stringify(code)}: ${responseBodyType(spec, response)};`,
      );
      types.push(
        `${comment(`${method.toUpperCase()} ${urlPath}: ${op.summary ?? ''}`, '  ')}  ${op.operationId}: {`,
        `    path: ${paramsType(
          params.filter((p) => p.in === 'path'),
          '    ',
        )};`,
        `    query: ${paramsType(
          params.filter((p) => p.in === 'query'),
          '    ',
        )};`,
        `    headers: ${paramsType(
          params.filter((p) => p.in === 'header'),
          '    ',
        )};`,
        `    body: ${bodySchema ? typeOf(bodySchema, '    ') : xmlBody ? 'string' : body ? 'unknown' : 'undefined'};`,
        `    responses: {\n${responses.join('\n')}\n    };`,
        '  };',
      );
    }
  }
  out.push(
    '/** Every operation: its parameters by place, its JSON body and its response bodies by status. */',
    'export interface Operations {',
    ...types,
    '}',
    '',
    '/** How each operation is called. `idempotencyKey`: whether it takes an Idempotency-Key header. */',
    'export const OPERATIONS = {',
    ...table,
    '} as const satisfies Record<keyof Operations, OperationInfo>;',
    '',
    'export interface OperationInfo {',
    "  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';",
    '  readonly path: string;',
    '  readonly tag: string | null;',
    "  readonly idempotencyKey: 'required' | 'optional' | 'none';",
    "  readonly body: 'required' | 'optional' | 'none';",
    '  /** How the body travels: JSON, or XML text sent as given (ISO 20022). */',
    "  readonly bodyType: 'json' | 'xml' | 'none';",
    '  readonly signed: boolean;',
    "  readonly response: 'json' | 'text' | 'stream' | 'none';",
    '}',
    '',
    'export type OperationId = keyof Operations;',
    '',
  );
  const options = (await prettier.resolveConfig(OUTPUT_FILE)) ?? {};
  return prettier.format(out.join('\n'), { ...options, filepath: OUTPUT_FILE });
}

async function main(argv) {
  const text = await generate(fs.readFileSync(SPEC_FILE, 'utf8'));
  const relative = path.relative(process.cwd(), OUTPUT_FILE);
  if (argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT_FILE) ? fs.readFileSync(OUTPUT_FILE, 'utf8') : '';
    if (current !== text) {
      console.error(`${relative} is out of date with openapi.yaml: run npm run generate:sdk`);
      return 1;
    }
    console.log(`${relative} is up to date`);
    return 0;
  }
  fs.mkdirSync(path.dirname(OUTPUT_FILE), { recursive: true });
  fs.writeFileSync(OUTPUT_FILE, text);
  console.log(`wrote ${relative}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(`generate-sdk-types: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
