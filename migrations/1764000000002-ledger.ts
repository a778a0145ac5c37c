import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's read models, written inline with the events that change them (same transaction).
 * Amounts and balances are bigint minor units; timestamps are nanoseconds.
 */
export class Ledger1764000000002 implements MigrationInterface {
  name = 'Ledger1764000000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table ledger_accounts (
        id               uuid primary key,
        currency         text not null,
        code             integer not null,
        flags            integer not null,
        user_data_128    uuid,
        user_data_64     bigint not null,
        user_data_32     bigint not null,
        debits_pending   bigint not null,
        debits_posted    bigint not null,
        credits_pending  bigint not null,
        credits_posted   bigint not null,
        timestamp        bigint not null,
        created_position bigint not null,
        updated_position bigint not null
      )`);
    await db.query(`
      create table ledger_transfers (
        id                uuid primary key,
        debit_account_id  uuid not null,
        credit_account_id uuid not null,
        amount            bigint not null,
        pending_id        uuid,
        user_data_128     uuid,
        user_data_64      bigint not null,
        user_data_32      bigint not null,
        timeout           integer not null,
        currency          text not null,
        code              integer not null,
        flags             integer not null,
        timestamp         bigint not null,
        global_position   bigint not null,
        -- For pending transfers only: pending, posted, voided or expired, and when that changed.
        pending_status    text,
        resolved_position bigint
      )`);
    await db.query('create index ledger_transfers_debit on ledger_transfers (debit_account_id, timestamp)');
    await db.query('create index ledger_transfers_credit on ledger_transfers (credit_account_id, timestamp)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table ledger_transfers, ledger_accounts');
  }
}
