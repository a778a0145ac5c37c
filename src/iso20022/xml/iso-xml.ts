import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProblemException } from '../../platform/http/problem.js';
import { XmlElement } from './xml-element.js';

/** Every ISO 20022 message namespace starts so: `urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08`. */
export const ISO_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:';

/** A message as read: its namespace, its name (`pacs.008.001.08`) and the `Document` element. */
export interface IsoDocument {
  readonly namespace: string | null;
  /** `pacs.008.001.08` when the namespace is an ISO 20022 one, else null. */
  readonly messageName: string | null;
  readonly document: XmlElement;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * XXE safety: the parser is given this decoder instead of its own. A DOCTYPE (where entities,
 * external or not, would be declared) makes the whole document unreadable, and only XML's five
 * predefined entities and character references are ever replaced: nothing is fetched, nothing
 * expands.
 */
const NO_DTD_DECODER = {
  setExternalEntities(): void {},
  addInputEntities(): void {
    throw new Error('a DOCTYPE (DTD) is not accepted: ISO 20022 messages have none');
  },
  reset(): void {},
  setXmlVersion(): void {},
  decode(text: string): string {
    return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z_][\w.-]*);/g, (_, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        if (
          code < 0x20
            ? ![0x9, 0xa, 0xd].includes(code)
            : code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
        )
          throw new Error(`&${name}; is not a character XML allows`);
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[name];
      if (value === undefined) throw new Error(`the entity &${name}; is not defined (no DTD is read)`);
      return value;
    });
  },
};

const parser = new XMLParser({
  entityDecoder: NO_DTD_DECODER,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Text stays text: an amount is never turned into a JS number on the way in.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 64,
});

function unreadable(detail: string): ProblemException {
  return ProblemException.badRequest(
    'xml_unreadable',
    `The body cannot be read as XML: ${detail}. Nothing was written.`,
  );
}

/**
 * Reads an XML body (the application/xml text parser hands it over as a string). Not a string:
 * 415 (sent as something else). Not well-formed, or with a DTD: 400 `xml_unreadable`. Otherwise
 * the `Document` element with namespace prefixes removed from element names, and its namespace.
 */
export function readIsoDocument(body: unknown): IsoDocument {
  if (typeof body !== 'string') {
    throw new ProblemException({
      code: 'content_type_unsupported',
      status: 415,
      title: 'Unsupported media type',
      detail: 'ISO 20022 messages are sent as Content-Type: application/xml. Nothing was written.',
    });
  }
  if (body.trim() === '') throw unreadable('the body is empty');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw unreadable(`line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body) as Record<string, unknown>;
  } catch (error) {
    throw unreadable((error as Error).message);
  }
  const [rootName, ...others] = Object.keys(parsed);
  if (rootName === undefined || others.length > 0) throw unreadable('there must be exactly one root element');
  const root = parsed[rootName];
  const prefix = rootName.includes(':') ? rootName.slice(0, rootName.indexOf(':')) : null;
  const attributes = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
  const declared = attributes[prefix === null ? '@xmlns' : `@xmlns:${prefix}`];
  const namespace = typeof declared === 'string' ? declared : null;
  const messageName =
    namespace !== null && namespace.startsWith(ISO_NAMESPACE) ? namespace.slice(ISO_NAMESPACE.length) : null;
  return { namespace, messageName, document: new XmlElement(`/${localName(rootName)}`, localNames(root)) };
}

function localName(name: string): string {
  return name.startsWith('@') ? name : name.slice(name.indexOf(':') + 1);
}

/** The parsed tree with `ns:Name` element names turned into `Name`, repeated names merged. */
function localNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localNames);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const name = localName(key);
    const converted = localNames(child);
    if (name in out) out[name] = ([] as unknown[]).concat(out[name], converted);
    else out[name] = converted;
  }
  return out;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  // The builder escapes &, <, >, quotes in text and attributes.
  processEntities: true,
});

/** Content for the builder: elements in schema order; `@Name` attributes, `#text` for text. */
export type XmlContent = {
  readonly [name: string]: XmlContent | string | readonly XmlContent[] | readonly string[] | undefined;
};

/** An ISO 20022 document: `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:<message>"><root>…`. */
export function writeIsoDocument(messageName: string, rootElement: string, content: XmlContent): string {
  return builder.build({
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    Document: { '@xmlns': `${ISO_NAMESPACE}${messageName}`, [rootElement]: prune(content) },
  }) as string;
}

/** Leaves out undefined fields and empty groups, which an optional element that has nothing to say would be. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune).filter((v) => v !== undefined);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const pruned = prune(child);
    if (pruned === undefined) continue;
    if (typeof pruned === 'object' && pruned !== null && Object.keys(pruned).length === 0) continue;
    out[key] = pruned;
  }
  return out;
}
