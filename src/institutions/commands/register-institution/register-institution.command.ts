import type { EventMetadata } from '../../../platform/event-store/recorded-event.js';
import type { IdempotencyRequest } from '../../../platform/sequencer/sequencer.js';
import type { Institution } from '../../domain/institution.js';
import type { RegisterInstitution } from '../../domain/institutions.commands.js';

export class RegisterInstitutionCommand {
  constructor(
    readonly command: Omit<RegisterInstitution, 'now'>,
    readonly metadata: EventMetadata,
    readonly idempotency?: IdempotencyRequest,
  ) {}
}

export interface InstitutionOutcome {
  readonly institution: Institution;
  readonly replayed: boolean;
}
