import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignatureRecord } from '../domain/issuance.js';

/** Read model of an issuance or redemption request (table issuance_requests). */
@Entity('issuance_requests')
export class IssuanceRequestRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'bank_id' }) bankId!: string;
  @Column('text', { name: 'central_bank_id' }) centralBankId!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') currency!: string;
  /** Minor units; bigint arrives as a string. */
  @Column('bigint') amount!: string;
  @Column('text', { nullable: true }) reference!: string | null;
  @Column('text') status!: string;
  @Column('text', { name: 'requested_by' }) requestedBy!: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  @Column('jsonb', { name: 'request_signature', nullable: true }) requestSignature!: SignatureRecord | null;
  @Column('text', { name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column('jsonb', { name: 'decision_signature', nullable: true }) decisionSignature!: SignatureRecord | null;
  @Column('text', { name: 'decline_reason', nullable: true }) declineReason!: string | null;
  @Column('uuid', { name: 'transfer_ids', array: true }) transferIds!: string[];
  @Column('bigint', { name: 'requested_position' }) requestedPosition!: string;
  @Column('bigint', { name: 'updated_position' }) updatedPosition!: string;
}
