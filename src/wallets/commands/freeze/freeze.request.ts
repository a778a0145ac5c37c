import { BodyReader } from '../../../platform/http/body-reader.js';
import { FREEZE_SCOPES, type FreezeScope } from '../../domain/freeze.js';

/** `{ reason, scope? }` (freeze; scope defaults to "all") or `{ reason }` (unfreeze). */
export function parseFreezeRequest(body: unknown, freezing: boolean): { reason: string; scope: FreezeScope } {
  const r = new BodyReader();
  const o = r.object(body, '', freezing ? ['reason', 'scope'] : ['reason']);
  if (o === null) r.throwIfInvalid();
  const reason = r.string(o!.reason, '/reason');
  if (reason !== null && (reason.trim().length === 0 || reason.length > 500))
    r.fail('/reason', 'reason_invalid', 'must be 1 to 500 characters');
  const scope = o!.scope === undefined ? 'all' : r.string(o!.scope, '/scope');
  if (scope !== null && !(FREEZE_SCOPES as readonly string[]).includes(scope))
    r.fail('/scope', 'scope_invalid', `must be one of ${FREEZE_SCOPES.join(', ')}`);
  r.throwIfInvalid();
  return { reason: reason!, scope: scope as FreezeScope };
}
