import { UndoableMap } from '../../platform/state/undoable-map.js';
import { UndoableState } from '../../platform/state/undoable-state.js';
import type { Webhook } from './webhook.js';

export class WebhooksState extends UndoableState {
  /** Institution id → its webhook. */
  readonly byInstitution = new UndoableMap<string, Webhook>();

  byId(webhookId: string): Webhook | undefined {
    for (const webhook of this.byInstitution.values()) if (webhook.id === webhookId) return webhook;
    return undefined;
  }
}
