import { Controller, Get } from '@nestjs/common';
import { Database } from '../platform/database/database.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { Public } from '../platform/auth/caller.js';

/** Liveness: the process answers, and says which database it uses and where the log stands. */
@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly database: Database,
    private readonly sequencer: SequencerHost,
  ) {}

  @Get('health')
  health() {
    return {
      status: 'ok',
      database: this.database.kind,
      writing: this.sequencer.isWriting,
      position: this.sequencer.committedPosition.toString(),
    };
  }
}
