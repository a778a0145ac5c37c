/**
 * One element of a parsed message, with its path from the root (for error reports, e.g.
 * `/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR`). The parser gives a leaf without
 * attributes as its text, anything else as an object of `@attribute`, `#text` and children.
 */
export class XmlElement {
  constructor(
    readonly path: string,
    private readonly value: unknown,
  ) {}

  /** The element's own text, trimmed by the parser ('' for an empty element). */
  text(): string {
    if (typeof this.value === 'string') return this.value;
    if (this.value !== null && typeof this.value === 'object') {
      const text = (this.value as Record<string, unknown>)['#text'];
      if (typeof text === 'string') return text;
    }
    return '';
  }

  attribute(name: string): string | null {
    if (this.value === null || typeof this.value !== 'object') return null;
    const value = (this.value as Record<string, unknown>)[`@${name}`];
    return typeof value === 'string' ? value : null;
  }

  /** Every child element of that name, in document order. */
  children(name: string): XmlElement[] {
    if (this.value === null || typeof this.value !== 'object' || Array.isArray(this.value)) return [];
    const value = (this.value as Record<string, unknown>)[name];
    if (value === undefined) return [];
    const path = `${this.path}/${name}`;
    return Array.isArray(value)
      ? value.map((v, i) => new XmlElement(`${path}[${i + 1}]`, v))
      : [new XmlElement(path, value)];
  }

  /** The first child of that name, if any. */
  child(name: string): XmlElement | null {
    return this.children(name)[0] ?? null;
  }
}
