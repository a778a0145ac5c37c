/** The FX module's public surface. */
export { FxModule } from './fx.module.js';
export { FxSequencedModule } from './fx.sequenced-module.js';
export { FxState } from './domain/fx.state.js';
export {
  findRoute,
  type Route,
  type RouteLeg,
  type RouteRequest,
  type RouteSearch,
  type FxWorld,
} from './domain/routing.js';
export { quoteUnusable } from './domain/fx.decider.js';
export type { Quote } from './domain/quote.js';
export type { QuoteUsed } from './domain/fx.events.js';
export { quoteView, routeView } from './fx.views.js';
