import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import type { DemoInstitution } from '../../institutions/bootstrap/demo-network.js';
import { SYSTEM_ACTOR } from '../../institutions/domain/institutions.decider.js';
import type { SequencerHost } from '../../platform/sequencer/sequencer.host.js';

/** The Belt-and-Road corridors the demo network opens. */
export const DEMO_CORRIDORS: ReadonlyArray<readonly [string, string]> = [
  ['CN', 'HK'],
  ['CN', 'TH'],
  ['CN', 'AE'],
  ['CN', 'SA'],
  ['HK', 'TH'],
];

/** Illustrative mid rates: units of each currency per 1 CNY. Not market data. */
const PER_CNY: Record<string, string> = { CNY: '1', HKD: '1.08', THB: '4.9', AED: '0.51', SAR: '0.52' };
/** Each provider buys this much of its corridor partner's CBDC (major units) to quote with. */
const LIQUIDITY_MAJOR = 400_000n;
/** How long a demo rate sheet is valid; DemoMarketMaker republishes it before it runs out. */
export const DEMO_SHEET_VALIDITY_SECONDS = 30 * 86_400;

/**
 * Makes a market on each demo corridor, as participants would: the operator opens the corridor
 * (a 2 bp fee on each side); each side's liquidity provider opens a wallet in the other side's
 * currency and buys liquidity there from that side's second bank (a domestic transfer in that
 * currency); then both providers publish rates both ways, so payments compete for the best one.
 * Runs after issuance has funded every bank (order 20).
 */
export async function seedDemoMarket(
  sequencer: SequencerHost,
  network: readonly DemoInstitution[],
  operatorId: string,
): Promise<void> {
  const run = (command: { type: string } & Record<string, unknown>) =>
    sequencer.execute({ command, metadata: { actor: SYSTEM_ACTOR } });
  const currencyOf = (jurisdiction: string) =>
    network.find((m) => m.kind === 'central_bank' && m.jurisdiction === jurisdiction)?.establishes?.currency;
  const banksOf = (jurisdiction: string) =>
    network.filter((m) => m.kind === 'commercial_bank' && m.jurisdiction === jurisdiction);
  for (const [a, b] of DEMO_CORRIDORS) {
    const currencies = { [a]: currencyOf(a), [b]: currencyOf(b) };
    if (currencies[a] === undefined || currencies[b] === undefined) continue;
    await run({
      type: 'OpenCorridor',
      actor: operatorId,
      jurisdictions: [a, b],
      fees: { [a]: { fixedMinor: 0n, bps: 2 }, [b]: { fixedMinor: 0n, bps: 2 } },
    });
    for (const [home, away] of [
      [a, b],
      [b, a],
    ] as const) {
      const provider = banksOf(home).find((m) => m.roles.includes('liquidity_provider'));
      const seller = banksOf(away).find((m) => !m.roles.includes('liquidity_provider'));
      if (provider === undefined || seller === undefined) continue;
      const awayCurrency = currencies[away]!;
      await run({ type: 'OpenWallet', actor: provider.id, wallet: { kind: 'bank', currency: awayCurrency } });
      await run({
        type: 'TransferBetweenWallets',
        actor: seller.id,
        transferId: randomUUID(),
        from: `${seller.id}.${awayCurrency}`,
        to: `${provider.id}.${awayCurrency}`,
        amount: { text: LIQUIDITY_MAJOR.toString(), minor: false },
        reference: 'demo: liquidity for the corridor',
      });
      for (const [from, to] of [
        [currencies[home]!, awayCurrency],
        [awayCurrency, currencies[home]!],
      ]) {
        const rate = new Decimal(PER_CNY[to]!).dividedBy(PER_CNY[from]!).toSignificantDigits(8).toFixed();
        const unit = 10n ** BigInt(findCurrency(to)!.exponent);
        await run({
          type: 'PublishRateSheet',
          actor: provider.id,
          from,
          to,
          rate,
          spreadBps: home === a ? 15 : 20,
          maxAmount: (LIQUIDITY_MAJOR / 4n) * unit,
          validForSeconds: DEMO_SHEET_VALIDITY_SECONDS,
          evidence: null,
        });
      }
    }
  }
}
