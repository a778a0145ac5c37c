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
  const [row] = (await database.dataSource.query(
    'select metadata from events where stream_id = $1 order by global_position limit 1',
    [paymentStreamId(paymentId)],
  )) as Array<{ metadata: EventMetadata }>;
  if (row === undefined) return null;
  const metadata = row.metadata;
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
