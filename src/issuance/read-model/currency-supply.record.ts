import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Read model of a currency's supply (table currency_supply); amounts in minor units. */
@Entity('currency_supply')
export class CurrencySupplyRecord {
  @PrimaryColumn('text') currency!: string;
  @Column('text', { name: 'central_bank_id' }) centralBankId!: string;
  @Column('bigint') issued!: string;
  @Column('bigint') redeemed!: string;
  @Column('bigint', { name: 'reserves_credited' }) reservesCredited!: string;
  @Column('bigint', { nullable: true }) cap!: string | null;
  @Column('bigint', { name: 'updated_position' }) updatedPosition!: string;
}
