import { Controller, Get, Inject, Param } from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock/clock.js';
import { ProblemException } from '../../platform/http/problem.js';
import { corridorView } from '../corridor.view.js';
import { CorridorsSequencedModule } from '../corridors.sequenced-module.js';

/** Corridors and their rules, to any signed institution: banks need them to know what will pass. */
@Controller('v1/corridors')
export class CorridorsQueriesController {
  constructor(
    private readonly corridors: CorridorsSequencedModule,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  list() {
    const now = this.clock.nowNs();
    const state = this.corridors.state;
    return {
      corridors: [...state.corridors.values()]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((c) => corridorView(c, state, now)),
    };
  }

  @Get(':id')
  get(@Param('id') id: string) {
    const corridor = this.corridors.state.corridors.get(id);
    if (corridor === undefined)
      throw ProblemException.notFound('corridor_not_found', `There is no corridor ${id}.`);
    return corridorView(corridor, this.corridors.state, this.clock.nowNs());
  }
}
