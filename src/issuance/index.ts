/** The issuance module's public surface. */
export { IssuanceModule, ISSUANCE_ENTITIES } from './issuance.module.js';
export { IssuanceSequencedModule } from './issuance.sequenced-module.js';
export { IssuanceState } from './domain/issuance.state.js';
export {
  decideIssuance,
  evolveIssuance,
  issuanceLegs,
  type IssuanceWorld,
} from './domain/issuance.decider.js';
export { ISSUANCE_COMMAND_TYPES, type IssuanceCommand } from './domain/issuance.commands.js';
export { ISSUANCE_EVENT_TYPES, type IssuanceEvent } from './domain/issuance.events.js';
export type { CurrencySupply, IssuanceKind, IssuanceRequest, IssuanceStatus } from './domain/issuance.js';
export type { SupplyView } from './queries/get-supply/get-supply.query.js';
export type { IssuanceRequestView } from './issuance.views.js';
