import { parseId } from '../../ledger/domain/id.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import type { XmlElement } from './xml-element.js';

/** A field the message got wrong: where, the ISO external status reason code, and why. */
export interface MessageError {
  readonly path: string;
  /** ExternalStatusReason1Code: CH21 missing, CH16 malformed, RC01 bad BIC, AM12 bad amount… */
  readonly reason: string;
  readonly detail: string;
}

/** ISO 20022 BICFI: 4 letters or digits (institution), 2 letters (country), 2 (location), 3 optional (branch). */
const BICFI = /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/**
 * Reads the fields of a well-formed message strictly, collecting every problem (with its path
 * and ISO reason code) before the message is answered, as BodyReader does for JSON. Elements the
 * platform does not use are ignored: ISO messages carry many optional ones.
 */
export class MessageReader {
  readonly errors: MessageError[] = [];

  fail(path: string, reason: string, detail: string): void {
    this.errors.push({ path, reason, detail });
  }

  /** Exactly one child `name` (or none, when optional). */
  one(parent: XmlElement | null, name: string, optional = false): XmlElement | null {
    if (parent === null) return null;
    const found = parent.children(name);
    if (found.length === 0) {
      if (!optional) this.fail(`${parent.path}/${name}`, 'CH21', 'is required and missing');
      return null;
    }
    if (found.length > 1) {
      this.fail(`${parent.path}/${name}`, 'CH16', `may appear once, appears ${found.length} times`);
      return null;
    }
    return found[0]!;
  }

  /** The text of child `name`: 1 to `max` characters (ISO MaxNNText), or null when optional and absent. */
  text(parent: XmlElement | null, name: string, max: number, optional = false): string | null {
    const element = this.one(parent, name, optional);
    if (element === null) return null;
    const text = element.text();
    if (text.length === 0 || text.length > max) {
      this.fail(element.path, 'CH16', `must be 1 to ${max} characters`);
      return null;
    }
    return text;
  }

  /** A code from a closed list (e.g. InstrPrty HIGH/NORM). */
  code(parent: XmlElement | null, name: string, allowed: readonly string[], optional = false): string | null {
    const element = this.one(parent, name, optional);
    if (element === null) return null;
    if (!allowed.includes(element.text())) {
      this.fail(element.path, 'CH16', `must be one of ${allowed.join(', ')}`);
      return null;
    }
    return element.text();
  }

  /** ISODateTime. */
  dateTime(parent: XmlElement | null, name: string): string | null {
    const element = this.one(parent, name);
    if (element === null) return null;
    const text = element.text();
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(text) ||
      Number.isNaN(Date.parse(text))
    ) {
      this.fail(element.path, 'CH16', 'must be an ISO 8601 date and time');
      return null;
    }
    return text;
  }

  /** A UETR: a UUID (lower-cased, as our ids are). */
  uetr(parent: XmlElement | null, name: string): string | null {
    const element = this.one(parent, name);
    if (element === null) return null;
    const id = parseId(element.text());
    if (id === null)
      this.fail(element.path, 'CH16', 'must be a UUID (RFC 4122), e.g. 8a562c67-ca16-48ba-b074-65581be6f001');
    return id;
  }

  /**
   * The institution behind a FinancialInstitutionIdentification (`…/FinInstnId`): its BICFI
   * (a BIC-11 with branch XXX is its BIC-8) or, for a participant without a BIC, `Othr/Id` as our
   * institution id. Both are the institution ids the platform registers.
   */
  institution(agent: XmlElement | null, name: string, optional = false): string | null {
    const element = this.one(agent, name, optional);
    if (element === null) return null;
    const fin = this.one(element, 'FinInstnId');
    if (fin === null) return null;
    const bic = fin.child('BICFI');
    if (bic !== null) {
      const text = bic.text();
      if (!BICFI.test(text)) {
        this.fail(bic.path, 'RC01', 'must be a BIC: 8 or 11 upper-case letters and digits');
        return null;
      }
      return text.length === 11 && text.endsWith('XXX') ? text.slice(0, 8) : text;
    }
    const other = fin.child('Othr')?.child('Id') ?? null;
    if (other === null) {
      this.fail(`${fin.path}/BICFI`, 'CH21', 'is required (or Othr/Id with the institution id)');
      return null;
    }
    if (!INSTITUTION_ID.test(other.text())) {
      this.fail(other.path, 'RC01', "must be an institution id: 2-32 upper-case letters, digits or '-'");
      return null;
    }
    return other.text();
  }

  /**
   * A customer wallet named as an account (`…Acct/Id/Othr/Id`, a wallet UUID); no account element:
   * null (the bank's own wallet). An IBAN or anything but a UUID names no wallet on the platform.
   */
  wallet(parent: XmlElement | null, name: string, reason: string): string | null {
    const account = this.one(parent, name, true);
    if (account === null) return null;
    const id = account.child('Id');
    const other = id?.child('Othr')?.child('Id') ?? null;
    if (other === null) {
      this.fail(
        `${account.path}/Id/Othr/Id`,
        reason,
        'must name a customer wallet (its UUID); IBANs are not accounts here',
      );
      return null;
    }
    const wallet = parseId(other.text());
    if (wallet === null) this.fail(other.path, reason, "must be a customer wallet's UUID");
    return wallet;
  }
}
