import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail (docs/audit.md, docs/adr/0011-audit-trail.md).
 *
 * Every event row carries `hash` (SHA-256 of its canonical encoding) and `chain` (SHA-256 of the
 * previous row's chain and this hash), and the scope a reader is checked against: the
 * institutions and jurisdictions it concerns. Each committed batch writes a checkpoint in the same
 * transaction: the Merkle root of the batch's hashes and the chain head, signed by the node key.
 *
 * A log written before this migration has no hashes and no signed checkpoints; sealing it now
 * would vouch for rows nobody can check any more, so the migration refuses such a log.
 */
export class AuditTrail1764000000014 implements MigrationInterface {
  name = 'AuditTrail1764000000014';

  async up(db: QueryRunner): Promise<void> {
    const [row] = await db.query('select count(*)::int as n from events');
    if (row.n > 0) {
      throw new Error(
        'this database holds an event log written before the audit trail existed (no hashes, no ' +
          'signed checkpoints); start on a fresh database or data directory',
      );
    }
    await db.query(`
      alter table events
        add column hash          bytea not null,
        add column chain         bytea not null,
        add column institutions  text[] not null,
        add column jurisdictions text[] not null`);
    await db.query(`
      create table audit_checkpoints (
        to_position   bigint primary key,
        from_position bigint not null,
        merkle_root   bytea not null,
        chain_head    bytea not null,
        recorded_at   text not null,
        key_id        text not null,
        signature     bytea not null,
        check (to_position > from_position)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table audit_checkpoints');
    await db.query(
      'alter table events drop column jurisdictions, drop column institutions, drop column chain, drop column hash',
    );
  }
}
