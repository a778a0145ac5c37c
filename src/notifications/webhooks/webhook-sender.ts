import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/config.js';
import { signRequest } from '../../platform/signatures/index.js';
import type { Notification } from '../domain/notification.js';
import type { Webhook } from '../domain/webhook.js';
import { NodeKey } from '../../platform/node-key/node-key.js';

/** What the signature on a delivery covers (RFC 9421). */
export const DELIVERY_COMPONENTS = ['@method', '@target-uri', 'content-digest', 'content-type'] as const;

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'failed'; readonly status: number | null; readonly error: string }
  /** The service is stopping: the attempt does not count. */
  | { readonly kind: 'aborted' };

/**
 * POSTs one notification to a webhook: JSON body, signed by the node's key (RFC 9421, Ed25519,
 * keyid `yuanbridge-node-key-1`) over the method, the target URI, the Content-Digest and the
 * Content-Type. A 2xx answer within the timeout is delivered; anything else failed. Redirects
 * are not followed (a 3xx is a failure): the registered URL is the one that receives.
 */
@Injectable()
export class WebhookSender {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly nodeKey: NodeKey,
  ) {}

  async deliver(
    webhook: Webhook,
    notification: Notification,
    attempt: number,
    stopping: AbortSignal,
  ): Promise<DeliveryOutcome> {
    const body = JSON.stringify(notification);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'yuanbridge-webhook-id': webhook.id,
      'yuanbridge-delivery-attempt': String(attempt),
    };
    const signature = signRequest({
      method: 'POST',
      url: webhook.url,
      headers,
      body,
      keyId: this.nodeKey.keyId,
      secretKey: this.nodeKey.secretKey,
      created: Number(this.clock.nowNs() / 1_000_000_000n),
      components: DELIVERY_COMPONENTS,
    });
    const timeout = AbortSignal.timeout(this.config.webhookTimeoutMs);
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: { ...headers, ...signature },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([stopping, timeout]),
      });
      // The answer's body means nothing to us; read a little so the connection can be reused.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300)
        return { kind: 'delivered', status: response.status };
      return { kind: 'failed', status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      if (stopping.aborted) return { kind: 'aborted' };
      if (timeout.aborted) {
        return {
          kind: 'failed',
          status: null,
          error: `no response within ${this.config.webhookTimeoutMs} ms`,
        };
      }
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      return {
        kind: 'failed',
        status: null,
        error: `${(error as Error).message}${cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : ''}`,
      };
    }
  }
}
