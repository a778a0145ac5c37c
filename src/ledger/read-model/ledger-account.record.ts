import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model of an account (table ledger_accounts). bigint columns come back as strings. */
@Entity('ledger_accounts')
export class LedgerAccountRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') currency!: string;
  @Column('integer') code!: number;
  @Column('integer') flags!: number;
  @Column('uuid', { name: 'user_data_128', nullable: true }) userData128!: string | null;
  @Column('bigint', { name: 'user_data_64' }) userData64!: string;
  @Column('bigint', { name: 'user_data_32' }) userData32!: string;
  @Column('bigint', { name: 'debits_pending' }) debitsPending!: string;
  @Column('bigint', { name: 'debits_posted' }) debitsPosted!: string;
  @Column('bigint', { name: 'credits_pending' }) creditsPending!: string;
  @Column('bigint', { name: 'credits_posted' }) creditsPosted!: string;
  @Column('bigint') timestamp!: string;
  @Column('bigint', { name: 'created_position' }) createdPosition!: string;
  @Column('bigint', { name: 'updated_position' }) updatedPosition!: string;
}
