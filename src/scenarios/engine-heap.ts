import v8 from 'node:v8';

let tuned = false;

/**
 * Turns off V8's allocation-site pretenuring for this process, once, before a replication runs.
 *
 * Why: V8 watches which allocation sites' objects survive young-generation collections and, past
 * a threshold, allocates that site's objects straight in the old generation. The engine's
 * per-payment objects (instructions, plans, events) live a few thousand payments, then die, all of
 * them; when a phase of the run (network setup, a burst of queued payments) makes their sites look
 * long-lived, V8 pretenures them, and from then on every payment's garbage goes to the old
 * generation: a full mark-compact every ~0.5 s instead of a handful per run, and every scavenge
 * dearer (the pretenured objects keep the young ones they point to alive). Which run fell into it
 * depended on the heap the process had before (the bench process did, the CLI mostly did not):
 * measured on stress-1m, the bench's replication cost 19.0 CPU s with it, 14.6 without; the CLI's
 * whole run 15.5 and 14.7 (docs/adr/0017-scenario-engine-without-pretenuring.md).
 *
 * Process-wide, and only ever called by the scenario engine (runReplication): the REST service
 * never runs a replication, so its heap keeps V8's defaults.
 */
export function tuneHeapForTheEngine(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
