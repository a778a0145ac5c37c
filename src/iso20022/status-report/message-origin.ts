import type { Database } from '../../platform/database/database.js';
import type { EventMetadata } from '../../platform/event-store/recorded-event.js';
import { paymentStreamId } from '../../payments/index.js';

/**
 * Where a payment came from, as its first event's metadata says. A payment started by an ISO
 * message carries the message's identity there (see `isoMetadata`): its end-to-end id as the
 * correlation id (it follows the payment through every agent) and `iso20022:<message>:<MsgId>`
 * as the causation id. The payment read model has no place for them; the event log does.
 */
export interface PaymentOrigin {
  readonly actor: string;
  readonly idempotencyKey: string | null;
  /** Null for a payment made through the JSON API. */
  readonly message: {
    readonly messageName: string;
    readonly msgId: string;
    readonly endToEndId: string;
  } | null;
}

const CAUSATION = /^iso20022:([a-z]{4}\.\d{3}\.\d{3}\.\d{2}):(.*)$/s;

export function isoMetadata(
  base: EventMetadata,
  message: { readonly messageName: string; readonly msgId: string; readonly endToEndId: string },
): EventMetadata {
  return {
    ...base,
    correlationId: message.endToEndId,
    causationId: `iso20022:${message.messageName}:${message.msgId}`,
  };
}

/** The origin of payment `id`, or null when there is no such payment (on the log). */
export async function readPaymentOrigin(
  database: Database,
  paymentId: string,
): Promise<PaymentOrigin | null> {
  return (await readPaymentOrigins(database, [paymentId])).get(paymentId) ?? null;
}

/** The origins of those of the payments `ids` that are on the log, by id, in one query. */
export async function readPaymentOrigins(
  database: Database,
  ids: readonly string[],
): Promise<Map<string, PaymentOrigin>> {
  const streams = ids.map(paymentStreamId);
  const rows = (await database.dataSource.query(
    `select distinct on (stream_id) stream_id, metadata from events
      where stream_id = any($1::text[]) order by stream_id, global_position`,
    [streams],
  )) as Array<{ stream_id: string; metadata: EventMetadata }>;
  const idOf = new Map(ids.map((id, i) => [streams[i]!, id]));
  return new Map(rows.map((row) => [idOf.get(row.stream_id)!, originOf(row.metadata)]));
}

function originOf(metadata: EventMetadata): PaymentOrigin {
  const causation = CAUSATION.exec(metadata.causationId ?? '');
  return {
    actor: metadata.actor,
    idempotencyKey: metadata.idempotencyKey ?? null,
    message:
      causation === null
        ? null
        : {
            messageName: causation[1]!,
            msgId: causation[2]!,
            endToEndId: metadata.correlationId ?? 'NOTPROVIDED',
          },
  };
}
