/** The notifications module's public surface. */
export { NotificationsModule } from './notifications.module.js';
export { NodeKey, NODE_KEY_ID } from '../platform/node-key/node-key.js';
export { audienceOf, concerns, NOTIFIABLE_EVENT_TYPES, type Audience } from './domain/audience.js';
export type { Notification } from './domain/notification.js';
export { DELIVERY_COMPONENTS } from './webhooks/webhook-sender.js';
