import type { EventMetadata } from '../../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../../platform/sequencer/sequencer.js';
import type { RotateInstitutionKey, SetInstitutionRole } from '../../domain/institutions.commands.js';

export class RotateKeyCommand {
  constructor(
    readonly command: Omit<RotateInstitutionKey, 'now'>,
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {}
}

export class SetRoleCommand {
  constructor(
    readonly command: Omit<SetInstitutionRole, 'now'>,
    readonly metadata: EventMetadata,
  ) {}
}
