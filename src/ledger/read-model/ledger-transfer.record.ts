import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model of a transfer (table ledger_transfers). bigint columns come back as strings. */
@Entity('ledger_transfers')
export class LedgerTransferRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'debit_account_id' }) debitAccountId!: string;
  @Column('uuid', { name: 'credit_account_id' }) creditAccountId!: string;
  @Column('bigint') amount!: string;
  @Column('uuid', { name: 'pending_id', nullable: true }) pendingId!: string | null;
  @Column('uuid', { name: 'user_data_128', nullable: true }) userData128!: string | null;
  @Column('bigint', { name: 'user_data_64' }) userData64!: string;
  @Column('bigint', { name: 'user_data_32' }) userData32!: string;
  @Column('integer') timeout!: number;
  @Column('text') currency!: string;
  @Column('integer') code!: number;
  @Column('integer') flags!: number;
  @Column('bigint') timestamp!: string;
  @Column('bigint', { name: 'global_position' }) globalPosition!: string;
  @Column('text', { name: 'pending_status', nullable: true }) pendingStatus!: string | null;
  @Column('bigint', { name: 'resolved_position', nullable: true }) resolvedPosition!: string | null;
}
