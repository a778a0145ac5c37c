import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Central-bank issuance read models: every issuance or redemption request with its status and
 * who decided it, and each currency's supply (issued, redeemed, reserves credited, cap), written
 * in the same transaction as the ledger balances they must agree with.
 */
export class Issuance1764000000011 implements MigrationInterface {
  name = 'Issuance1764000000011';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table issuance_requests (
        id                 uuid primary key,
        kind               text not null check (kind in ('issue', 'redeem')),
        bank_id            text not null,
        central_bank_id    text not null,
        jurisdiction       text not null,
        currency           text not null,
        amount             bigint not null check (amount > 0),
        reference          text,
        status             text not null check (status in ('open', 'executed', 'declined')),
        requested_by       text not null,
        requested_at       timestamptz not null,
        request_signature  jsonb,
        decided_by         text,
        decided_at         timestamptz,
        decision_signature jsonb,
        decline_reason     text,
        transfer_ids       uuid[] not null,
        requested_position bigint not null,
        updated_position   bigint not null
      )`);
    await db.query(
      'create index issuance_requests_currency on issuance_requests (currency, status, requested_position)',
    );
    await db.query('create index issuance_requests_bank on issuance_requests (bank_id, requested_position)');
    await db.query(`
      create table currency_supply (
        currency          text primary key,
        central_bank_id   text not null,
        issued            bigint not null,
        redeemed          bigint not null,
        reserves_credited bigint not null,
        cap               bigint,
        updated_position  bigint not null
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table issuance_requests, currency_supply');
  }
}
