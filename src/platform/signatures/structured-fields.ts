/**
 * A small, strict Structured Field Values (RFC 8941) parser and serializer: enough for
 * `Signature-Input`, `Signature` (RFC 9421) and `Content-Digest` (RFC 9530).
 *
 * Supported: dictionaries, inner lists, items, parameters, and every bare item type of
 * RFC 8941 (integer, decimal, string, token, byte sequence, boolean). Not supported: top-level
 * lists and RFC 9651 additions (dates, display strings); nothing here needs them.
 *
 * Stricter than RFC 8941 on purpose (header smuggling): a dictionary key repeated with a
 * different value, or a parameter key repeated at all, is rejected instead of "last one wins".
 * Node joins repeated header lines with ", ", so two `Signature-Input` lines that both define
 * `sig1` arrive as one dictionary with `sig1` twice; an intermediary that keeps the first and a
 * server that keeps the last would disagree about what was signed. Identical repeats are harmless
 * and accepted.
 *
 * Parsing never throws: it returns `{ ok: false, error }` with a sentence saying what is wrong
 * and where.
 */

export type BareItem =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'token'; readonly value: string }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'boolean'; readonly value: boolean };

/** Ordered parameters (insertion order is serialization order). */
export type Parameters = ReadonlyMap<string, BareItem>;

export interface Item {
  readonly kind: 'item';
  readonly value: BareItem;
  readonly params: Parameters;
}

export interface InnerList {
  readonly kind: 'inner-list';
  readonly items: readonly Item[];
  readonly params: Parameters;
}

export type Member = Item | InnerList;

/** Ordered dictionary. */
export type Dictionary = ReadonlyMap<string, Member>;

export type ParseResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const MAX_INTEGER = 999_999_999_999_999;

// --- constructors ---------------------------------------------------------------------------

export const sfInteger = (value: number): BareItem => ({ type: 'integer', value });
export const sfString = (value: string): BareItem => ({ type: 'string', value });
export const sfToken = (value: string): BareItem => ({ type: 'token', value });
export const sfBytes = (value: Uint8Array): BareItem => ({ type: 'bytes', value });
export const sfBoolean = (value: boolean): BareItem => ({ type: 'boolean', value });

export function sfItem(value: BareItem, params: Parameters = new Map()): Item {
  return { kind: 'item', value, params };
}

export function sfInnerList(items: readonly Item[], params: Parameters = new Map()): InnerList {
  return { kind: 'inner-list', items, params };
}

// --- serialization (RFC 8941 §4.1) ----------------------------------------------------------

/** Thrown only for values the caller built wrongly (a programming error), never for input. */
export class StructuredFieldSerializeError extends Error {
  override readonly name = 'StructuredFieldSerializeError';
}

const KEY_RE = /^[a-z*][a-z0-9_\-.*]*$/;
const TOKEN_RE = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/;
const NOT_PRINTABLE_ASCII_RE = /[^\x20-\x7e]/;

export function serializeKey(key: string): string {
  if (!KEY_RE.test(key))
    throw new StructuredFieldSerializeError(`invalid structured-field key ${JSON.stringify(key)}`);
  return key;
}

export function serializeBareItem(item: BareItem): string {
  switch (item.type) {
    case 'integer':
      if (!Number.isSafeInteger(item.value) || Math.abs(item.value) > MAX_INTEGER) {
        throw new StructuredFieldSerializeError(`integer out of range: ${item.value}`);
      }
      return String(item.value);
    case 'decimal': {
      const rounded = Math.round(item.value * 1000) / 1000;
      if (!Number.isFinite(rounded) || Math.abs(Math.trunc(rounded)) > 999_999_999_999) {
        throw new StructuredFieldSerializeError(`decimal out of range: ${item.value}`);
      }
      const text = String(rounded);
      return text.includes('.') ? text : `${text}.0`;
    }
    case 'string':
      if (NOT_PRINTABLE_ASCII_RE.test(item.value)) {
        throw new StructuredFieldSerializeError('strings may hold printable ASCII only');
      }
      return `"${item.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    case 'token':
      if (!TOKEN_RE.test(item.value)) {
        throw new StructuredFieldSerializeError(`invalid token ${JSON.stringify(item.value)}`);
      }
      return item.value;
    case 'bytes':
      return `:${Buffer.from(item.value.buffer, item.value.byteOffset, item.value.byteLength).toString('base64')}:`;
    case 'boolean':
      return item.value ? '?1' : '?0';
  }
}

export function serializeParameters(params: Parameters): string {
  let out = '';
  for (const [key, value] of params) {
    out += `;${serializeKey(key)}`;
    if (!(value.type === 'boolean' && value.value)) out += `=${serializeBareItem(value)}`;
  }
  return out;
}

export function serializeItem(item: Item): string {
  return serializeBareItem(item.value) + serializeParameters(item.params);
}

export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map(serializeItem).join(' ')})${serializeParameters(list.params)}`;
}

export function serializeMember(member: Member): string {
  return member.kind === 'item' ? serializeItem(member) : serializeInnerList(member);
}

export function serializeDictionary(dict: Dictionary): string {
  const parts: string[] = [];
  for (const [key, member] of dict) {
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value) {
      parts.push(serializeKey(key) + serializeParameters(member.params));
    } else {
      parts.push(`${serializeKey(key)}=${serializeMember(member)}`);
    }
  }
  return parts.join(', ');
}

// --- parsing (RFC 8941 §4.2) ----------------------------------------------------------------

class ParseFailure extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly input: string) {}

  fail(what: string): never {
    const at = this.pos < this.input.length ? `at offset ${this.pos}` : 'at the end of the value';
    throw new ParseFailure(`${what} ${at}`);
  }

  done(): boolean {
    return this.pos >= this.input.length;
  }

  peek(): string {
    return this.input[this.pos] ?? '';
  }

  skipSP(): void {
    while (this.input[this.pos] === ' ') this.pos++;
  }

  skipOWS(): void {
    while (this.input[this.pos] === ' ' || this.input[this.pos] === '\t') this.pos++;
  }

  parseDictionary(): Map<string, Member> {
    const dict = new Map<string, Member>();
    const serialized = new Map<string, string>();
    while (!this.done()) {
      const key = this.parseKey();
      let member: Member;
      if (this.peek() === '=') {
        this.pos++;
        member = this.peek() === '(' ? this.parseInnerList() : this.parseItem();
      } else {
        member = sfItem(sfBoolean(true), this.parseParameters());
      }
      const text = serializeMember(member);
      const previous = serialized.get(key);
      if (previous !== undefined && previous !== text) {
        this.fail(`dictionary key "${key}" appears twice with different values (repeated header line?)`);
      }
      serialized.set(key, text);
      if (previous === undefined) dict.set(key, member);
      this.skipOWS();
      if (this.done()) return dict;
      if (this.peek() !== ',') this.fail('expected "," between dictionary members');
      this.pos++;
      this.skipOWS();
      if (this.done()) this.fail('trailing "," in dictionary');
    }
    return dict;
  }

  parseInnerList(): InnerList {
    if (this.peek() !== '(') this.fail('expected "(" to open an inner list');
    this.pos++;
    const items: Item[] = [];
    while (!this.done()) {
      this.skipSP();
      if (this.peek() === ')') {
        this.pos++;
        return sfInnerList(items, this.parseParameters());
      }
      items.push(this.parseItem());
      if (this.done()) break;
      const next = this.peek();
      if (next !== ' ' && next !== ')') this.fail('expected " " or ")" after an inner-list item');
    }
    return this.fail('unterminated inner list');
  }

  parseItem(): Item {
    const value = this.parseBareItem();
    return sfItem(value, this.parseParameters());
  }

  parseParameters(): Map<string, BareItem> {
    const params = new Map<string, BareItem>();
    while (this.peek() === ';') {
      this.pos++;
      this.skipSP();
      const key = this.parseKey();
      let value: BareItem = sfBoolean(true);
      if (this.peek() === '=') {
        this.pos++;
        value = this.parseBareItem();
      }
      if (params.has(key)) this.fail(`parameter "${key}" appears twice`);
      params.set(key, value);
    }
    return params;
  }

  parseKey(): string {
    const start = this.pos;
    const first = this.peek();
    if (!/^[a-z*]$/.test(first)) this.fail('expected a key (lowercase letter or "*")');
    this.pos++;
    while (/^[a-z0-9_\-.*]$/.test(this.peek())) this.pos++;
    return this.input.slice(start, this.pos);
  }

  parseBareItem(): BareItem {
    const c = this.peek();
    if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
    if (c === '"') return this.parseString();
    if (c === ':') return this.parseBytes();
    if (c === '?') return this.parseBoolean();
    if (c === '*' || /^[A-Za-z]$/.test(c)) return this.parseToken();
    return this.fail(c === '' ? 'expected a value' : `unexpected character ${JSON.stringify(c)}`);
  }

  parseNumber(): BareItem {
    const start = this.pos;
    let sign = 1;
    if (this.peek() === '-') {
      sign = -1;
      this.pos++;
    }
    if (!(this.peek() >= '0' && this.peek() <= '9')) this.fail('expected a digit');
    let text = '';
    let decimal = false;
    while (!this.done()) {
      const c = this.peek();
      if (c >= '0' && c <= '9') {
        text += c;
      } else if (c === '.' && !decimal) {
        if (text.length > 12) this.fail('decimal has more than 12 integer digits');
        decimal = true;
        text += c;
      } else {
        break;
      }
      this.pos++;
      if (!decimal && text.length > 15) this.fail('integer has more than 15 digits');
      if (decimal && text.length > 16) this.fail('decimal is too long');
    }
    if (!decimal) return sfInteger(sign * Number(text));
    if (text.endsWith('.')) {
      this.pos = start;
      this.fail('decimal ends with "."');
    }
    if (text.length - text.indexOf('.') - 1 > 3) this.fail('decimal has more than 3 fractional digits');
    return { type: 'decimal', value: sign * Number(text) };
  }

  parseString(): BareItem {
    this.pos++; // opening quote
    let out = '';
    while (!this.done()) {
      const c = this.input[this.pos++] as string;
      if (c === '\\') {
        const next = this.input[this.pos++];
        if (next !== '"' && next !== '\\') {
          this.pos--;
          this.fail('a string may only escape "\\" and \'"\'');
        }
        out += next;
      } else if (c === '"') {
        return sfString(out);
      } else {
        const code = c.charCodeAt(0);
        if (code < 0x20 || code > 0x7e) {
          this.pos--;
          this.fail('a string may hold printable ASCII only');
        }
        out += c;
      }
    }
    return this.fail('unterminated string');
  }

  parseToken(): BareItem {
    const start = this.pos;
    this.pos++;
    while (/^[!#$%&'*+\-.^_`|~0-9A-Za-z:/]$/.test(this.peek())) this.pos++;
    return sfToken(this.input.slice(start, this.pos));
  }

  parseBytes(): BareItem {
    this.pos++; // opening colon
    const end = this.input.indexOf(':', this.pos);
    if (end < 0) this.fail('unterminated byte sequence');
    const b64 = this.input.slice(this.pos, end);
    // RFC 8941 §4.2.7: base64 alphabet with optional "=" padding; nothing else.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) {
      this.fail('byte sequence is not valid base64');
    }
    this.pos = end + 1;
    return sfBytes(new Uint8Array(Buffer.from(b64, 'base64')));
  }

  parseBoolean(): BareItem {
    this.pos++;
    const c = this.peek();
    if (c !== '0' && c !== '1') this.fail('a boolean is "?0" or "?1"');
    this.pos++;
    return sfBoolean(c === '1');
  }
}

function run<T>(input: string, body: (p: Parser) => T): ParseResult<T> {
  const parser = new Parser(input);
  try {
    parser.skipSP();
    const value = body(parser);
    parser.skipSP();
    if (!parser.done()) parser.fail('unexpected trailing characters');
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ParseFailure || error instanceof StructuredFieldSerializeError) {
      return { ok: false, error: error.message };
    }
    throw error;
  }
}

/** Parses a Dictionary field value. An empty value is an empty dictionary. */
export function parseDictionary(input: string): ParseResult<Dictionary> {
  return run(input, (p) => p.parseDictionary());
}

/** Parses an Item field value (a bare item with parameters). */
export function parseItem(input: string): ParseResult<Item> {
  return run(input, (p) => p.parseItem());
}

/** Parses an inner list on its own, e.g. a Signature-Input member value. */
export function parseInnerList(input: string): ParseResult<InnerList> {
  return run(input, (p) => p.parseInnerList());
}
