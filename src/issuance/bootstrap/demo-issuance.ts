import { randomUUID } from 'node:crypto';
import { findCurrency } from '../../ledger/domain/currency.js';
import type { DemoInstitution } from '../../institutions/bootstrap/demo-network.js';
import { SYSTEM_ACTOR } from '../../institutions/domain/institutions.decider.js';
import type { SequencerHost } from '../../platform/sequencer/sequencer.host.js';
import type { CreditReserves, IssueDirectly } from '../domain/issuance.commands.js';

/** Reserves each demo bank starts with, and the part of it its central bank issues as CBDC (major units). */
export const DEMO_RESERVES_MAJOR = 10_000_000n;
export const DEMO_ISSUED_MAJOR = 2_500_000n;

/**
 * Seeds a newly created demo network: every commercial bank gets reserves at its central bank and
 * a quarter of them as CBDC, in its currency's minor units (so 0- and 3-decimal currencies get the
 * same economic amounts). The central bank is the actor, as over HTTP; the metadata says 'system'
 * because no signed request caused it.
 */
export async function seedDemoIssuance(
  sequencer: SequencerHost,
  network: readonly DemoInstitution[],
): Promise<void> {
  for (const bank of network.filter((m) => m.kind === 'commercial_bank')) {
    const centralBank = network.find(
      (m) => m.kind === 'central_bank' && m.jurisdiction === bank.jurisdiction,
    );
    if (centralBank?.establishes === undefined) continue;
    const currency = findCurrency(centralBank.establishes.currency)!;
    const unit = 10n ** BigInt(currency.exponent);
    const credit: Omit<CreditReserves, 'now'> = {
      type: 'CreditReserves',
      actor: centralBank.id,
      creditId: randomUUID(),
      bankId: bank.id,
      currency: currency.code,
      amount: DEMO_RESERVES_MAJOR * unit,
      signature: null,
    };
    await sequencer.execute({ command: credit, metadata: { actor: SYSTEM_ACTOR } });
    const issue: Omit<IssueDirectly, 'now'> = {
      type: 'IssueDirectly',
      actor: centralBank.id,
      requestId: randomUUID(),
      bankId: bank.id,
      kind: 'issue',
      currency: currency.code,
      amount: DEMO_ISSUED_MAJOR * unit,
      reference: 'demo network',
      signature: null,
    };
    await sequencer.execute({ command: issue, metadata: { actor: SYSTEM_ACTOR } });
  }
}
