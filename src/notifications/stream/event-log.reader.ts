import { Injectable } from '@nestjs/common';
import { Database } from '../../platform/database/database.js';
import type { Audience } from '../domain/audience.js';
import { notificationFromRow, type EventRow, type Notification } from '../domain/notification.js';

export interface NotificationPage {
  readonly notifications: readonly Notification[];
  /** True when the page was full: there may be more after its last position. */
  readonly more: boolean;
}

/**
 * Reads the notifications of one audience from the `events` table, after a position, in
 * position order. The filter on `parties` / `jurisdictions` runs in the database (json → jsonb
 * containment), so a bank replaying after a long absence reads only its own events.
 */
@Injectable()
export class EventLogReader {
  constructor(private readonly database: Database) {}

  async page(
    audience: Audience,
    types: readonly string[],
    after: bigint,
    limit: number,
  ): Promise<NotificationPage> {
    const params: unknown[] = [after.toString(), types, limit];
    let scope = '';
    if (audience.kind === 'party') {
      params.push(audience.institutionId);
      scope = `and (data::jsonb -> 'parties') @> jsonb_build_array($4::text)`;
    } else if (audience.kind === 'jurisdiction') {
      params.push(audience.jurisdiction);
      scope = `and (data::jsonb -> 'jurisdictions') @> jsonb_build_array($4::text)`;
    }
    const rows: EventRow[] = await this.database.dataSource.query(
      `select global_position, stream_id, type, data, recorded_at from events
        where global_position > $1 and type = any($2::text[]) ${scope}
        order by global_position limit $3`,
      params,
    );
    return { notifications: rows.map(notificationFromRow), more: rows.length === limit };
  }
}
