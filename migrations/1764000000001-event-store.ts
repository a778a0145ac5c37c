import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store. The single writer assigns `global_position` (gap-free, totally ordered) and
 * advances `event_log_head.position` in the same transaction, guarded by the expected position
 * and its writer id: a second writer cannot interleave (docs/adr/0002-single-writer-sequencer.md).
 */
export class EventStore1764000000001 implements MigrationInterface {
  name = 'EventStore1764000000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table events (
        global_position bigint primary key,
        stream_id       text not null,
        stream_version  integer not null,
        type            text not null,
        -- json, not jsonb: keeps the exact bytes the writer encoded (the audit chain hashes
        -- them) and is several times cheaper to insert in bulk.
        data            json not null,
        metadata        json not null,
        recorded_at     timestamptz not null,
        unique (stream_id, stream_version)
      )`);
    await db.query(`
      create table event_log_head (
        id           smallint primary key check (id = 1),
        position     bigint not null,
        writer_id    text,
        writer_since timestamptz
      )`);
    await db.query(`insert into event_log_head (id, position) values (1, 0)`);
    // A snapshot is stored in parts: one bytea value travels as a hex string twice its size,
    // and a JavaScript string cannot exceed ~512 MB.
    await db.query(`
      create table snapshots (
        position bigint not null,
        part     integer not null,
        parts    integer not null,
        format   text not null,
        state    bytea not null,
        taken_at timestamptz not null,
        primary key (position, part)
      )`);
    await db.query(`
      create table processor_checkpoints (
        processor  text primary key,
        position   bigint not null,
        updated_at timestamptz not null
      )`);
    await db.query(`
      create table idempotency_keys (
        scope           text not null,
        key             text not null,
        request_hash    text not null,
        reply           jsonb not null,
        global_position bigint not null,
        created_at      timestamptz not null,
        primary key (scope, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table idempotency_keys, processor_checkpoints, snapshots, event_log_head, events');
  }
}
