import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the wallet rules: freezes (of a wallet, of a whole bank), what a customer wallet
 * has sent in its current local day and year, the tier limits central banks set, and the
 * domestic transfers (for their references in a wallet's history).
 */
export class WalletRules1764000000005 implements MigrationInterface {
  name = 'WalletRules1764000000005';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      alter table wallets
        add column frozen_scope    text check (frozen_scope in ('all', 'outgoing')),
        add column frozen_reason   text,
        add column frozen_by       text,
        add column frozen_at       timestamptz,
        add column spent_date      text,
        add column spent_today     bigint not null default 0,
        add column spent_this_year bigint not null default 0`);
    await db.query(`
      create table institution_freezes (
        institution_id text primary key,
        scope          text not null check (scope in ('all', 'outgoing')),
        reason         text not null,
        frozen_by      text not null,
        frozen_at      timestamptz not null
      )`);
    await db.query(`
      create table wallet_tier_limits (
        currency       text not null,
        tier           smallint not null,
        single_payment bigint,
        daily          bigint,
        balance        bigint,
        annual         bigint,
        set_by         text not null,
        set_position   bigint not null,
        primary key (currency, tier)
      )`);
    await db.query(`
      create table domestic_transfers (
        id                 uuid primary key,
        ledger_transfer_id uuid not null unique,
        from_wallet        text not null,
        to_wallet          text not null,
        currency           text not null,
        amount             bigint not null,
        reference          text,
        settled_by         text not null,
        settled_at         timestamptz not null,
        global_position    bigint not null
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table domestic_transfers');
    await db.query('drop table wallet_tier_limits');
    await db.query('drop table institution_freezes');
    await db.query(`
      alter table wallets
        drop column frozen_scope, drop column frozen_reason, drop column frozen_by, drop column frozen_at,
        drop column spent_date, drop column spent_today, drop column spent_this_year`);
  }
}
