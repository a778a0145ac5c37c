import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Database } from '../../platform/database/database.js';
import { DELIVERY_COLUMNS, webhookDeliveryView, type WebhookDeliveryRow } from './webhook-delivery.view.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;

export class ListWebhookDeliveriesQuery {
  constructor(
    /** Whose deliveries: always the caller's own institution. */
    readonly institutionId: string,
    readonly status: string | null,
    /** Exclusive: the previous page's nextCursor (a log position); oldest first. */
    readonly after: bigint | null,
    readonly limit: number,
  ) {}
}

/**
 * The institution's webhook deliveries, oldest first: every event scheduled for its webhooks
 * (the current one and any it removed), with attempts, the receiver's last answer and, for a
 * failed one, the error. Positions are unique per institution (a webhook is only scheduled the
 * events after its registration), so the position is the cursor.
 */
@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery> {
  constructor(private readonly database: Database) {}

  async execute({ institutionId, status, after, limit }: ListWebhookDeliveriesQuery) {
    const rows = (await this.database.dataSource.query(
      `select ${DELIVERY_COLUMNS} from webhook_deliveries
        where institution_id = $1 and ($2::text is null or status = $2) and position > $3
        order by position limit $4`,
      [institutionId, status, (after ?? -1n).toString(), limit + 1],
    )) as WebhookDeliveryRow[];
    const page = rows.slice(0, limit);
    return {
      items: page.map(webhookDeliveryView),
      nextCursor: rows.length > limit ? String(page.at(-1)!.position) : null,
    };
  }
}
