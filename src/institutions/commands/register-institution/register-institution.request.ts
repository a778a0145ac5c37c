import { BodyReader } from '../../../platform/http/body-reader.js';
import { keyFromBase64url, isValidPublicKey } from '../../../platform/signatures/index.js';
import { findCurrency } from '../../../ledger/domain/currency.js';
import {
  INSTITUTION_ID,
  INSTITUTION_KINDS,
  INSTITUTION_ROLES,
  JURISDICTION_CODE,
  type InstitutionKind,
  type InstitutionRole,
} from '../../domain/institution.js';

export const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export interface RegisterInstitutionRequest {
  readonly id: string;
  readonly kind: Exclude<InstitutionKind, 'operator'>;
  readonly name: string;
  readonly jurisdiction: string;
  readonly establishes: { name: string; currency: string; timeZone: string } | null;
  readonly roles: InstitutionRole[];
  readonly keyId: string;
  readonly publicKey: string;
}

/** Strict parse of POST /v1/institutions: every problem at once, with a JSON pointer each. */
export function parseRegisterInstitution(body: unknown): RegisterInstitutionRequest {
  const r = new BodyReader();
  const o = r.object(body, '', [
    'id',
    'kind',
    'name',
    'jurisdiction',
    'establishes',
    'roles',
    'keyId',
    'publicKey',
  ]);
  if (o === null) r.throwIfInvalid();
  const id = r.string(o!.id, '/id');
  if (id !== null && !INSTITUTION_ID.test(id))
    r.fail(
      '/id',
      'institution_id_invalid',
      "must be 2-32 upper-case letters, digits or '-', starting with a letter or digit",
    );
  const kind = r.string(o!.kind, '/kind');
  const kinds = INSTITUTION_KINDS.filter((k) => k !== 'operator');
  if (kind !== null && !(kinds as readonly string[]).includes(kind))
    r.fail('/kind', 'kind_invalid', `must be one of ${kinds.join(', ')}`);
  const name = r.string(o!.name, '/name');
  if (name !== null && (name.trim().length === 0 || name.length > 200))
    r.fail('/name', 'name_invalid', 'must be 1 to 200 characters');
  const jurisdiction = r.string(o!.jurisdiction, '/jurisdiction');
  if (jurisdiction !== null && !JURISDICTION_CODE.test(jurisdiction))
    r.fail('/jurisdiction', 'jurisdiction_invalid', 'must be an ISO 3166-1 alpha-2 code such as CN');
  let establishes: RegisterInstitutionRequest['establishes'] = null;
  if (o!.establishes !== undefined) {
    const e = r.object(o!.establishes, '/establishes', ['name', 'currency', 'timeZone']);
    if (e !== null) {
      const jname = r.string(e.name, '/establishes/name');
      const currency = r.string(e.currency, '/establishes/currency');
      if (currency !== null && findCurrency(currency) === undefined)
        r.fail('/establishes/currency', 'currency_unknown', 'is not a currency the ledger knows');
      const timeZone = r.string(e.timeZone, '/establishes/timeZone');
      if (timeZone !== null && !validTimeZone(timeZone))
        r.fail(
          '/establishes/timeZone',
          'time_zone_invalid',
          'must be an IANA time zone such as Asia/Shanghai',
        );
      if (jname !== null && currency !== null && timeZone !== null)
        establishes = { name: jname, currency, timeZone };
    }
  }
  if (kind === 'central_bank' && o!.establishes === undefined)
    r.fail(
      '/establishes',
      'jurisdiction_required',
      'is required for a central bank: the jurisdiction it establishes',
    );
  if (kind !== null && kind !== 'central_bank' && o!.establishes !== undefined)
    r.fail('/establishes', 'not_applicable', 'only a central bank establishes a jurisdiction');
  const roles: InstitutionRole[] = [];
  if (o!.roles !== undefined) {
    const list = r.array(o!.roles, '/roles', 0, INSTITUTION_ROLES.length);
    list?.forEach((role, index) => {
      if (typeof role !== 'string' || !(INSTITUTION_ROLES as readonly string[]).includes(role)) {
        r.fail(`/roles/${index}`, 'role_invalid', `must be one of ${INSTITUTION_ROLES.join(', ')}`);
      } else roles.push(role as InstitutionRole);
    });
  }
  const publicKey = readPublicKey(r, o!.publicKey, '/publicKey');
  const keyId =
    o!.keyId === undefined ? (id === null ? null : `${id}-key-1`) : readKeyId(r, o!.keyId, '/keyId');
  r.throwIfInvalid();
  return {
    id: id!,
    kind: kind as RegisterInstitutionRequest['kind'],
    name: name!,
    jurisdiction: jurisdiction!,
    establishes,
    roles,
    keyId: keyId!,
    publicKey: publicKey!,
  };
}

export function readPublicKey(r: BodyReader, value: unknown, pointer: string): string | null {
  const text = r.string(value, pointer);
  if (text === null) return null;
  try {
    if (isValidPublicKey(keyFromBase64url(text, 'public key'))) return text;
  } catch {
    // reported below
  }
  r.fail(pointer, 'public_key_invalid', 'must be a raw 32-byte Ed25519 public key in base64url');
  return null;
}

export function readKeyId(r: BodyReader, value: unknown, pointer: string): string | null {
  const text = r.string(value, pointer);
  if (text !== null && !KEY_ID.test(text)) {
    r.fail(pointer, 'key_id_invalid', "must be 1-128 characters: letters, digits, '.', '_', ':' or '-'");
    return null;
  }
  return text;
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
