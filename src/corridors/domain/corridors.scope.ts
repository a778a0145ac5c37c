import type { EventScope } from '../../platform/event-store/event-scope.js';
import type { CorridorsEvent } from './corridors.events.js';

/** A corridor event concerns both its jurisdictions (ids are `<A>-<B>`). */
export function corridorsScope(event: CorridorsEvent): EventScope {
  const id = event.type === 'CorridorOpened' ? event.data.corridor.id : event.data.corridorId;
  return { jurisdictions: id.split('-') };
}
