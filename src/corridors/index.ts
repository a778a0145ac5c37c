/** The corridors module's public surface. */
export { CorridorsModule } from './corridors.module.js';
export { CorridorsSequencedModule } from './corridors.sequenced-module.js';
export { CorridorsState } from './domain/corridors.state.js';
export { corridorId, feeFor, sideOf, type Corridor, type CorridorSide } from './domain/corridor.js';
export {
  screenCorridor,
  corridorFee,
  outflowToday,
  type CorridorScreening,
} from './domain/corridors.decider.js';
export type { CorridorOutflowRecorded } from './domain/corridors.events.js';
