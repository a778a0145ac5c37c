import { Body, Controller, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../platform/auth/caller.js';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { BodyReader } from '../../platform/http/body-reader.js';
import { InstitutionsSequencedModule } from '../../institutions/institutions.sequenced-module.js';
import { JURISDICTION_CODE } from '../../institutions/domain/institution.js';
import type { CorridorsReply } from '../domain/corridors.decider.js';
import { corridorView } from '../corridor.view.js';
import { CorridorsSequencedModule } from '../corridors.sequenced-module.js';
import { CorridorsCommandMessage } from './corridors.command.js';
import { parseOpenCorridor, parseReason, parseSideRules, readCorridorId } from './corridor.requests.js';

@Controller('v1/corridors/:id')
export class CorridorsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly institutions: InstitutionsSequencedModule,
    private readonly corridors: CorridorsSequencedModule,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The operator opens the corridor (idempotent) and sets each side's fees. */
  @Put()
  @HttpCode(200)
  @AllowKinds('operator')
  async open(@Param('id') id: string, @Body() body: unknown, @AuthenticatedCaller() caller: Caller) {
    const { jurisdictions, fees } = parseOpenCorridor(body, id, this.institutions.state);
    return this.run(
      new CorridorsCommandMessage(
        { type: 'OpenCorridor', actor: caller.institution.id, jurisdictions, fees },
        metadataOf(caller),
      ),
    );
  }

  /** A central bank sets its side's opening hours, payment maximum and daily outbound quota. */
  @Put('sides/:jurisdiction')
  @HttpCode(200)
  @AllowKinds('central_bank')
  async sideRules(
    @Param('id') id: string,
    @Param('jurisdiction') jurisdiction: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
  ) {
    const r = new BodyReader();
    readCorridorId(r, id);
    if (!JURISDICTION_CODE.test(jurisdiction))
      r.fail('{jurisdiction}', 'jurisdiction_invalid', 'must be an ISO 3166-1 alpha-2 code');
    r.throwIfInvalid();
    const rules = parseSideRules(body, this.institutions.state.jurisdictions.get(jurisdiction)?.currency);
    return this.run(
      new CorridorsCommandMessage(
        {
          type: 'SetCorridorSideRules',
          actor: caller.institution.id,
          corridorId: id,
          jurisdiction,
          ...rules,
        },
        metadataOf(caller),
      ),
    );
  }

  /** Either side's central bank suspends the corridor for its side (idempotent). */
  @Post('suspend')
  @HttpCode(200)
  @AllowKinds('central_bank')
  suspend(@Param('id') id: string, @Body() body: unknown, @AuthenticatedCaller() caller: Caller) {
    return this.suspension('SuspendCorridor', id, body, caller);
  }

  @Post('resume')
  @HttpCode(200)
  @AllowKinds('central_bank')
  resume(@Param('id') id: string, @Body() body: unknown, @AuthenticatedCaller() caller: Caller) {
    return this.suspension('ResumeCorridor', id, body, caller);
  }

  private suspension(type: 'SuspendCorridor' | 'ResumeCorridor', id: string, body: unknown, caller: Caller) {
    const r = new BodyReader();
    readCorridorId(r, id);
    r.throwIfInvalid();
    const reason = parseReason(body);
    return this.run(
      new CorridorsCommandMessage(
        { type, actor: caller.institution.id, corridorId: id, reason },
        metadataOf(caller),
      ),
    );
  }

  private async run(message: CorridorsCommandMessage) {
    const reply: CorridorsReply = await this.commands.execute(message);
    return corridorView(reply.corridor, this.corridors.state, this.clock.nowNs());
  }
}
