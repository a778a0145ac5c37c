import { Controller, Get } from '@nestjs/common';
import { Database } from '../platform/database/database.js';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { Public } from '../platform/auth/caller.js';

/**
 * Liveness: the process answers, and says which database it uses, where the log stands and its
 * role: `writer` (serving), `standby` (another instance holds the writer lease), `starting` (the
 * lease taken over, state being rebuilt) or `stopping`.
 */
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
      role: this.sequencer.phase === 'serving' ? 'writer' : this.sequencer.phase,
      position: this.sequencer.committedPosition.toString(),
    };
  }
}
