/**
 * RFC 9421 signature base (§2.5), the derived components of a request (§2.2), header field
 * components (§2.1), and the `Signature-Input` / `Signature` dictionaries (§4).
 *
 * Supported component identifiers: `@method`, `@target-uri`, `@authority`, `@scheme`, `@path`,
 * `@query`, `@request-target`, and header fields by lowercase name. Component parameters
 * (`;sf`, `;key`, `;bs`, `;req`, `;tr`, `;name`) and the `@query-param` / `@status` components
 * are not supported and are rejected as malformed rather than silently ignored.
 *
 * URLs are normalized with the WHATWG URL parser on both sides (scheme and host lowercased,
 * default port dropped, empty path → `/`, fragment and user info dropped), so a client and a
 * server that both use this module derive the same values. A server must pass the absolute
 * URL it routes on.
 *
 * Header values: the value of each line is trimmed of leading/trailing SP and HTAB; several
 * values (an array, e.g. from Node's `req.headersDistinct`) are joined with ", " as §2.1
 * requires. Node's `req.headers` has already joined repeated lines with ", " for most fields,
 * which gives the same bytes; for the few fields where Node keeps only the first line
 * (content-type, authorization, host, …) prefer `headersDistinct` so nothing is dropped.
 * A covered header that is absent fails base construction; it is never skipped.
 */
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Member,
  type ParseResult,
  parseDictionary,
  serializeDictionary,
  serializeInnerList,
  sfBytes,
  sfInnerList,
  sfInteger,
  sfItem,
  sfString,
} from './structured-fields.js';

/** Header name (lowercase) → value; arrays are repeated field lines. */
export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SignedRequestParts {
  readonly method: string;
  /** The absolute target URI, e.g. `https://api.example/v1/payments?dry=1`. */
  readonly url: string;
  readonly headers: HeaderMap;
}

export const DERIVED_COMPONENTS = [
  '@method',
  '@target-uri',
  '@authority',
  '@scheme',
  '@path',
  '@query',
  '@request-target',
] as const;

export type DerivedComponent = (typeof DERIVED_COMPONENTS)[number];

const DERIVED = new Set<string>(DERIVED_COMPONENTS);
const FIELD_NAME_RE = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const METHOD_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: VCHAR, obs-text, SP, HTAB. Anything else (CR, LF, NUL, DEL…) could forge lines,
// and a character above U+00FF cannot be sent on the wire at all (Node sends header bytes as latin1).
// eslint-disable-next-line no-control-regex
const BAD_FIELD_VALUE_RE = /[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]/;
const EDGE_WS_RE = /^[ \t]+|[ \t]+$/g;

/** The parameters of a signature (RFC 9421 §2.3) this module knows about. */
export interface SignatureParams {
  readonly created?: number;
  readonly expires?: number;
  readonly nonce?: string;
  readonly alg?: string;
  readonly keyid?: string;
  readonly tag?: string;
}

/** A Signature-Input member after validation. */
export interface SignatureInput {
  readonly components: readonly string[];
  readonly params: SignatureParams;
  /** The `@signature-params` value: the member re-serialized canonically. */
  readonly signatureParams: string;
}

/** Why a component identifier cannot be used, or undefined if it can. */
export function checkComponentIdentifier(name: string): string | undefined {
  if (name.startsWith('@')) {
    return DERIVED.has(name) ? undefined : `unsupported derived component "${name}"`;
  }
  return FIELD_NAME_RE.test(name) ? undefined : `"${name}" is not a lowercase header field name`;
}

/** Builds the Signature-Input inner list for components + params (params in a fixed order). */
export function signatureInputList(components: readonly string[], params: SignatureParams): InnerList {
  const seen = new Set<string>();
  for (const name of components) {
    const problem = checkComponentIdentifier(name);
    if (problem !== undefined) throw new TypeError(problem);
    if (seen.has(name)) throw new TypeError(`component "${name}" is listed twice`);
    seen.add(name);
  }
  const p = new Map<string, BareItem>();
  if (params.created !== undefined) p.set('created', sfInteger(params.created));
  if (params.expires !== undefined) p.set('expires', sfInteger(params.expires));
  if (params.nonce !== undefined) p.set('nonce', sfString(params.nonce));
  if (params.alg !== undefined) p.set('alg', sfString(params.alg));
  if (params.keyid !== undefined) p.set('keyid', sfString(params.keyid));
  if (params.tag !== undefined) p.set('tag', sfString(params.tag));
  return sfInnerList(
    components.map((name) => sfItem(sfString(name))),
    p,
  );
}

/** The serialized `@signature-params` value, e.g. `("@method");created=1;keyid="k"`. */
export function serializeSignatureParams(components: readonly string[], params: SignatureParams): string {
  return serializeInnerList(signatureInputList(components, params));
}

/** `Signature-Input` header value for one label. */
export function serializeSignatureInputHeader(label: string, list: InnerList): string {
  return serializeDictionary(new Map([[label, list]]));
}

/** `Signature` header value for one label. */
export function serializeSignatureHeader(label: string, signature: Uint8Array): string {
  return serializeDictionary(new Map([[label, sfItem(sfBytes(signature))]]));
}

/** Parses a `Signature-Input` or `Signature` header into its dictionary (structure only). */
export function parseSignatureDictionary(header: string): ParseResult<Dictionary> {
  return parseDictionary(header);
}

const INTEGER_PARAMS = new Set(['created', 'expires']);
const STRING_PARAMS = new Set(['nonce', 'alg', 'keyid', 'tag']);

/** Validates one Signature-Input member: an inner list of plain component strings + params. */
export function readSignatureInput(member: Member): ParseResult<SignatureInput> {
  if (member.kind !== 'inner-list') return { ok: false, error: 'member is not an inner list' };
  const components: string[] = [];
  for (const item of member.items) {
    if (item.value.type !== 'string') return { ok: false, error: 'component identifiers must be strings' };
    const name = item.value.value;
    if (item.params.size > 0) {
      return { ok: false, error: `component parameters are not supported ("${name}")` };
    }
    if (name === '@signature-params') return { ok: false, error: '"@signature-params" cannot be covered' };
    const problem = checkComponentIdentifier(name);
    if (problem !== undefined) return { ok: false, error: problem };
    if (components.includes(name)) return { ok: false, error: `component "${name}" is listed twice` };
    components.push(name);
  }
  const params: Record<string, number | string> = {};
  for (const [key, value] of member.params) {
    if (INTEGER_PARAMS.has(key)) {
      if (value.type !== 'integer' || value.value < 0) {
        return { ok: false, error: `parameter "${key}" must be a non-negative integer` };
      }
      params[key] = value.value;
    } else if (STRING_PARAMS.has(key)) {
      if (value.type !== 'string') return { ok: false, error: `parameter "${key}" must be a string` };
      params[key] = value.value;
    }
    // Unknown parameters are kept in the signed @signature-params line but otherwise ignored.
  }
  return {
    ok: true,
    value: { components, params: params as SignatureParams, signatureParams: serializeInnerList(member) },
  };
}

/** Validates one Signature member: a byte sequence. */
export function readSignatureBytes(member: Member): ParseResult<Uint8Array> {
  if (member.kind !== 'item' || member.value.type !== 'bytes') {
    return { ok: false, error: 'member is not a byte sequence' };
  }
  return { ok: true, value: member.value.value };
}

interface TargetParts {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
  readonly search: string;
}

function parseTarget(url: string): TargetParts | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `target URI ${JSON.stringify(url)} is not an absolute URL`;
  }
  if (u.host === '') return `target URI ${JSON.stringify(url)} has no authority`;
  return { scheme: u.protocol.slice(0, -1), authority: u.host, path: u.pathname || '/', search: u.search };
}

/** The value of a header component, or an error sentence. */
export function headerComponentValue(headers: HeaderMap, name: string): ParseResult<string> {
  const raw = headers[name];
  if (raw === undefined) return { ok: false, error: `covered header "${name}" is absent` };
  const values: readonly string[] = typeof raw === 'string' ? [raw] : raw;
  if (values.length === 0) return { ok: false, error: `covered header "${name}" is absent` };
  const parts: string[] = [];
  for (const value of values) {
    if (BAD_FIELD_VALUE_RE.test(value)) {
      return { ok: false, error: `header "${name}" holds a control character or a non-latin1 character` };
    }
    parts.push(value.replace(EDGE_WS_RE, ''));
  }
  return { ok: true, value: parts.join(', ') };
}

/**
 * The signature base (RFC 9421 §2.5) for the given covered components and `@signature-params`
 * value. Never throws on request content: an absent covered header, an unusable URL or a
 * method with forbidden characters is an error result.
 */
export function buildSignatureBase(
  request: SignedRequestParts,
  components: readonly string[],
  signatureParams: string,
): ParseResult<string> {
  let target: TargetParts | undefined;
  let base = '';
  for (const name of components) {
    let value: string;
    if (name.startsWith('@')) {
      if (name === '@method') {
        if (!METHOD_RE.test(request.method)) return { ok: false, error: 'request method is not a token' };
        value = request.method;
      } else {
        if (target === undefined) {
          const parsed = parseTarget(request.url);
          if (typeof parsed === 'string') return { ok: false, error: parsed };
          target = parsed;
        }
        switch (name) {
          case '@target-uri':
            value = `${target.scheme}://${target.authority}${target.path}${target.search}`;
            break;
          case '@authority':
            value = target.authority;
            break;
          case '@scheme':
            value = target.scheme;
            break;
          case '@path':
            value = target.path;
            break;
          case '@query':
            value = target.search === '' ? '?' : target.search;
            break;
          case '@request-target':
            value = `${target.path}${target.search}`;
            break;
          default:
            return { ok: false, error: `unsupported derived component "${name}"` };
        }
      }
    } else {
      if (!FIELD_NAME_RE.test(name))
        return { ok: false, error: `"${name}" is not a lowercase header field name` };
      const header = headerComponentValue(request.headers, name);
      if (!header.ok) return header;
      value = header.value;
    }
    base += `"${name}": ${value}\n`;
  }
  return { ok: true, value: `${base}"@signature-params": ${signatureParams}` };
}

/**
 * The bytes that are signed: the base encoded one byte per character (latin1), which is how
 * header bytes travel; for the usual ASCII base this is identical to UTF-8.
 */
export function signatureBaseBytes(base: string): Uint8Array {
  return Buffer.from(base, 'latin1');
}
