import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Institution, Jurisdiction } from './institution.js';

/** Every institution and jurisdiction, and the indexes request authentication needs. */
export class InstitutionsState extends UndoableState {
  readonly institutions = new UndoableMap<string, Institution>();
  readonly jurisdictions = new UndoableMap<string, Jurisdiction>();
  /** Current key id → institution id (a rotated-out key no longer verifies). */
  readonly keys = new UndoableMap<string, string>();
  /** Every key id ever used → institution id: a key id is never reused, even after rotation. */
  readonly usedKeyIds = new UndoableMap<string, string>();
  /** Currency → jurisdiction code of the central bank that issues it. */
  readonly issuers = new UndoableMap<string, string>();

  /** The institution a current key belongs to. */
  byKeyId(keyId: string): Institution | undefined {
    const id = this.keys.get(keyId);
    return id === undefined ? undefined : this.institutions.get(id);
  }

  /** The central bank of a jurisdiction. */
  centralBankOf(jurisdiction: string): Institution | undefined {
    const j = this.jurisdictions.get(jurisdiction);
    return j === undefined ? undefined : this.institutions.get(j.centralBankId);
  }

  /** The currency of an institution's jurisdiction (null for the operator). */
  homeCurrency(institution: Institution): string | null {
    return institution.jurisdiction === null
      ? null
      : (this.jurisdictions.get(institution.jurisdiction)?.currency ?? null);
  }
}
