import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments read model: one row per cross-border payment, as its events left it (written in
 * the batch's transaction). `parties` and `jurisdictions` say who may see it; the list filters
 * (bank, corridor, status, time) have their indexes. The timeline is the `events` stream itself.
 */
export class Payments1764000000013 implements MigrationInterface {
  name = 'Payments1764000000013';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table payments (
        id                  uuid primary key,
        payer_bank          text not null,
        payer_jurisdiction  text not null,
        payer_currency      text not null,
        payer_wallet        text,
        payer_name          text,
        payee_bank          text not null,
        payee_jurisdiction  text not null,
        payee_currency      text not null,
        payee_wallet        text,
        payee_name          text,
        corridor_id         text not null,
        fixed               text not null check (fixed in ('source', 'target')),
        instructed_amount   bigint not null,
        instructed_currency text not null,
        quote_id            uuid,
        purpose             text not null,
        remittance_info     text,
        priority            smallint not null,
        sell_currency       text not null,
        sell_amount         bigint,
        buy_currency        text not null,
        buy_amount          bigint,
        fee_currency        text not null,
        fee_amount          bigint,
        rate                text,
        providers           text[] not null,
        parties             text[] not null,
        jurisdictions       text[] not null,
        status              text not null
                            check (status in ('received', 'screened', 'queued', 'settled', 'rejected', 'expired', 'cancelled')),
        reason_code         text,
        reason_detail       text,
        settled_by          text,
        set_id              uuid,
        received_at         timestamptz not null,
        expires_at          timestamptz not null,
        settled_at          timestamptz,
        updated_at          timestamptz not null,
        received_position   bigint not null unique,
        last_position       bigint not null
      )`);
    await db.query('create index payments_parties on payments using gin (parties)');
    await db.query('create index payments_jurisdictions on payments using gin (jurisdictions)');
    await db.query('create index payments_corridor on payments (corridor_id, received_position)');
    await db.query('create index payments_status on payments (status, received_position)');
    await db.query('create index payments_received_at on payments (received_at)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table payments');
  }
}
