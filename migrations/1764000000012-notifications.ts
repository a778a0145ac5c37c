import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook deliveries: one row per (webhook, event) the webhook process manager scheduled, with
 * its attempts. The manager reads the `events` log after its `processor_checkpoints` row
 * ('webhooks') and writes the rows and the new checkpoint in one transaction, so an event is
 * scheduled exactly once and a restart resumes where it stopped (docs/notifications.md).
 */
export class Notifications1764000000012 implements MigrationInterface {
  name = 'Notifications1764000000012';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table webhook_deliveries (
        webhook_id      text not null,
        position        bigint not null,
        institution_id  text not null,
        event_type      text not null,
        status          text not null check (status in ('pending', 'delivered', 'failed', 'cancelled')),
        attempts        integer not null default 0,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        last_status     integer,
        last_error      text,
        created_at      timestamptz not null,
        delivered_at    timestamptz,
        primary key (webhook_id, position)
      )`);
    // Each webhook's oldest pending delivery is the next to attempt (per-webhook order).
    await db.query(`
      create index webhook_deliveries_pending on webhook_deliveries (webhook_id, position)
        where status = 'pending'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table webhook_deliveries');
  }
}
