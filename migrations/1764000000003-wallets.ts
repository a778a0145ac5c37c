import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The wallet registry's read model: every wallet (bank and customer) with its ledger account, so
 * that balances in ledger_accounts can be read per institution, jurisdiction and currency.
 */
export class Wallets1764000000003 implements MigrationInterface {
  name = 'Wallets1764000000003';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table wallets (
        id               text primary key,
        kind             text not null check (kind in ('bank', 'customer')),
        bank_id          text not null,
        jurisdiction     text not null,
        currency         text not null,
        account_id       uuid not null unique,
        tier             smallint,
        holder_reference text,
        opened_at        timestamptz not null,
        opened_position  bigint not null
      )`);
    await db.query('create index wallets_bank on wallets (bank_id, currency)');
    await db.query('create index wallets_currency on wallets (currency, jurisdiction)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table wallets');
  }
}
