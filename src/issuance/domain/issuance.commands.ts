import type { Id } from '../../ledger/domain/id.js';
import type { IssuanceKind, SignatureRecord } from './issuance.js';

/**
 * Commands of the issuance module. `actor` is the institution whose signature authorised the
 * command (the central bank itself for the demo bootstrap); `signature` is that signature, kept in
 * the events because `decide` never sees event metadata; `now` is stamped by the sequencer.
 * `currency` null means the actor's home currency; naming another one is refused (403).
 */
export interface CreditReserves {
  readonly type: 'CreditReserves';
  readonly actor: string;
  readonly creditId: Id;
  readonly bankId: string;
  readonly currency: string | null;
  readonly amount: bigint;
  readonly signature: SignatureRecord | null;
  readonly now: bigint;
}

export interface RequestIssuance {
  readonly type: 'RequestIssuance';
  readonly actor: string;
  readonly requestId: Id;
  readonly kind: IssuanceKind;
  readonly currency: string | null;
  readonly amount: bigint;
  readonly reference: string | null;
  readonly signature: SignatureRecord | null;
  readonly now: bigint;
}

export interface ApproveIssuance {
  readonly type: 'ApproveIssuance';
  readonly actor: string;
  readonly requestId: Id;
  readonly signature: SignatureRecord | null;
  readonly now: bigint;
}

export interface DeclineIssuance {
  readonly type: 'DeclineIssuance';
  readonly actor: string;
  readonly requestId: Id;
  readonly reason: string;
  readonly signature: SignatureRecord | null;
  readonly now: bigint;
}

/** A central bank issues to or redeems from one of its banks in one step (asked and approved by it). */
export interface IssueDirectly {
  readonly type: 'IssueDirectly';
  readonly actor: string;
  readonly requestId: Id;
  readonly bankId: string;
  readonly kind: IssuanceKind;
  readonly currency: string | null;
  readonly amount: bigint;
  readonly reference: string | null;
  readonly signature: SignatureRecord | null;
  readonly now: bigint;
}

export interface SetSupplyCap {
  readonly type: 'SetSupplyCap';
  readonly actor: string;
  readonly currency: string;
  /** Minor units; null removes the cap. */
  readonly cap: bigint | null;
  readonly signature: SignatureRecord | null;
  readonly now: bigint;
}

export type IssuanceCommand =
  CreditReserves | RequestIssuance | ApproveIssuance | DeclineIssuance | IssueDirectly | SetSupplyCap;

export const ISSUANCE_COMMAND_TYPES = [
  'CreditReserves',
  'RequestIssuance',
  'ApproveIssuance',
  'DeclineIssuance',
  'IssueDirectly',
  'SetSupplyCap',
] as const;
