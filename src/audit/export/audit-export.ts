import { Injectable } from '@nestjs/common';
import type { CallerInstitution } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import {
  AUDIT_EVENT_COLUMNS,
  CHECKPOINT_COLUMNS,
  auditEventView,
  checkpointView,
  type AuditEventRow,
  type CheckpointRow,
} from '../events/audit-event.view.js';
import { auditEventsWhere, type AuditEventsFilter } from '../events/list-audit-events.js';

export type ExportFormat = 'jsonl' | 'csv';

const PAGE = 5_000;

const CSV_COLUMNS = [
  'record',
  'position',
  'type',
  'stream_id',
  'stream_version',
  'recorded_at',
  'hash',
  'chain',
  'institutions',
  'jurisdictions',
  'actor',
  'key_id',
  'signature_input',
  'signature',
  'data',
  'metadata',
  'from_position',
  'merkle_root',
  'chain_head',
] as const;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(values: Partial<Record<(typeof CSV_COLUMNS)[number], string>>): string {
  return CSV_COLUMNS.map((column) => csvField(values[column] ?? '')).join(',') + '\r\n';
}

/**
 * The events a reader may see in a range, as JSON Lines or CSV, followed by every checkpoint that
 * covers them: with the node's public key, a reader checks the export offline (each event's hash
 * from its stored texts, the chain, the checkpoints' signatures; a checkpoint's Merkle root needs
 * every hash of its batch, which the operator's export holds). Written a page at a time.
 */
@Injectable()
export class AuditExport {
  constructor(private readonly database: Database) {}

  async *lines(
    filter: Omit<AuditEventsFilter, 'order' | 'after' | 'limit'>,
    caller: CallerInstitution,
    format: ExportFormat,
  ): AsyncGenerator<string> {
    if (format === 'csv') yield CSV_COLUMNS.join(',') + '\r\n';
    let after = 0n;
    let first: bigint | null = null;
    let last: bigint | null = null;
    for (;;) {
      const params: unknown[] = [];
      const where = auditEventsWhere(filter, caller, params);
      params.push(after.toString());
      where.push(`e.global_position > $${params.length}`);
      const rows = (await this.database.dataSource.query(
        `select ${AUDIT_EVENT_COLUMNS} from events e where ${where.join(' and ')}
          order by e.global_position limit ${PAGE}`,
        params,
      )) as AuditEventRow[];
      for (const row of rows) {
        const view = auditEventView(row, null);
        if (format === 'jsonl') {
          const { proof: _proof, ...event } = view;
          yield JSON.stringify({ record: 'event', ...event }) + '\n';
        } else {
          yield csvLine({
            record: 'event',
            position: view.position,
            type: view.type,
            stream_id: view.streamId,
            stream_version: String(view.streamVersion),
            recorded_at: view.recordedAt,
            hash: view.hash,
            chain: view.chain,
            institutions: view.institutions.join(' '),
            jurisdictions: view.jurisdictions.join(' '),
            actor: view.authorisedBy.actor ?? '',
            key_id: view.authorisedBy.keyId ?? '',
            signature_input: view.authorisedBy.signatureInput ?? '',
            signature: view.authorisedBy.signature ?? '',
            data: view.encoded.data,
            metadata: view.encoded.metadata,
          });
        }
      }
      if (rows.length > 0) {
        first ??= BigInt(rows[0]!.global_position);
        last = BigInt(rows.at(-1)!.global_position);
        after = last;
      }
      if (rows.length < PAGE) break;
    }
    if (first === null || last === null) return;
    const checkpoints = (await this.database.dataSource.query(
      `select ${CHECKPOINT_COLUMNS} from audit_checkpoints c
        where c.to_position >= $1 and c.from_position < $2 order by c.to_position`,
      [first.toString(), last.toString()],
    )) as CheckpointRow[];
    for (const row of checkpoints) {
      const checkpoint = checkpointView(row);
      if (format === 'jsonl') {
        yield JSON.stringify({ record: 'checkpoint', ...checkpoint }) + '\n';
      } else {
        yield csvLine({
          record: 'checkpoint',
          position: checkpoint.to,
          from_position: checkpoint.from,
          recorded_at: checkpoint.recordedAt,
          merkle_root: checkpoint.merkleRoot,
          chain_head: checkpoint.chainHead,
          key_id: checkpoint.keyId,
          signature: checkpoint.signature,
        });
      }
    }
  }
}
