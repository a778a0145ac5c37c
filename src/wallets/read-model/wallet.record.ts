import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model of a wallet (table wallets). */
@Entity('wallets')
export class WalletRecord {
  @PrimaryColumn('text') id!: string;
  @Column('text') kind!: string;
  @Column('text', { name: 'bank_id' }) bankId!: string;
  @Column('text') jurisdiction!: string;
  @Column('text') currency!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('smallint', { nullable: true }) tier!: number | null;
  @Column('text', { name: 'holder_reference', nullable: true }) holderReference!: string | null;
  @Column('timestamptz', { name: 'opened_at' }) openedAt!: Date;
  @Column('bigint', { name: 'opened_position' }) openedPosition!: string;
}
