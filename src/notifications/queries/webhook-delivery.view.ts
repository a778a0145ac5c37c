/** A webhook_deliveries row as the database returns it. */
export interface WebhookDeliveryRow {
  readonly webhook_id: string;
  readonly position: string;
  readonly event_type: string;
  readonly status: string;
  readonly attempts: number;
  readonly created_at: Date;
  readonly last_attempt_at: Date | null;
  readonly next_attempt_at: Date | null;
  readonly delivered_at: Date | null;
  readonly last_status: number | null;
  readonly last_error: string | null;
}

/** A delivery as the API shows it: the event's log position (also its SSE id) and what became of it. */
export function webhookDeliveryView(row: WebhookDeliveryRow) {
  return {
    webhookId: row.webhook_id,
    position: String(row.position),
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    createdAt: isoOrNull(row.created_at),
    lastAttemptAt: isoOrNull(row.last_attempt_at),
    nextAttemptAt: isoOrNull(row.next_attempt_at),
    deliveredAt: isoOrNull(row.delivered_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
  };
}

function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

export const DELIVERY_COLUMNS =
  'webhook_id, position, event_type, status, attempts, created_at, last_attempt_at, next_attempt_at, delivered_at, last_status, last_error';
