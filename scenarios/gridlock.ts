/**
 * gridlock.yaml written as a TypeScript script: the same scenario, built with a loop round the
 * ring instead of listed by hand (a test checks that both give byte-identical results).
 *
 *   npx yuanbridge scenario run scenarios/gridlock.ts
 *
 * The default export is a function of the seed: `--seed 9` calls it with 9, no --seed with the
 * default below. Types come from 'yuanbridge/scenarios' (an editor completes and checks them).
 */
import { defineScenario, type Jurisdiction, type Workload } from 'yuanbridge/scenarios';

/** The ring CN → HK → TH → CN: each jurisdiction, its mid rate and what its provider holds. */
const RING = [
  {
    code: 'CN',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    centralBank: 'PBOC',
    midRate: '1',
    lp: { reserves: '100000000', issued: '50000000' },
    banks: { reserves: '1000000' },
  },
  {
    code: 'HK',
    currency: 'HKD',
    timeZone: 'Asia/Hong_Kong',
    centralBank: 'HKMA',
    midRate: '1.08',
    lp: { reserves: '100000000', issued: '50000000' },
    banks: { reserves: '1000000' },
  },
  {
    code: 'TH',
    currency: 'THB',
    timeZone: 'Asia/Bangkok',
    centralBank: 'BOT',
    midRate: '4.9',
    lp: { reserves: '500000000', issued: '250000000' },
    banks: { reserves: '5000000' },
  },
] as const;

/** What each provider holds of the other two currencies (major units). */
const HOLDINGS: Record<string, Record<string, `${number}`>> = {
  CN: { HKD: '20000000', THB: '50000000' },
  HK: { CNY: '20000000', THB: '50000000' },
  TH: { CNY: '20000000', HKD: '20000000' },
};

/** A payment of 10,000 CNY on every leg (10,800 HKD between HK and TH), both ways round the ring. */
function legs(): Workload[] {
  const fixed = (value: number) => ({ distribution: 'fixed', value }) as const;
  return [
    { from: 'CN', to: 'HK', perDay: 12, fixed: 'source', amount: fixed(10000) },
    { from: 'HK', to: 'CN', perDay: 12, fixed: 'target', amount: fixed(10000) },
    { from: 'HK', to: 'TH', perDay: 8, fixed: 'source', amount: fixed(10800) },
    { from: 'TH', to: 'HK', perDay: 8, fixed: 'target', amount: fixed(10800) },
    { from: 'TH', to: 'CN', perDay: 8, fixed: 'target', amount: fixed(10000) },
    { from: 'CN', to: 'TH', perDay: 8, fixed: 'source', amount: fixed(10000) },
  ];
}

export default defineScenario((seed = 7) => ({
  name: 'gridlock',
  description: 'Banks without CBDC pay each other round a ring; only offsetting can settle them.',
  seed,
  duration: '1d',
  replications: 6,
  sampleEvery: '2h',
  policies: { liquiditySaving: true, expiresIn: '1d', settlementInterval: '15m' },
  jurisdictions: RING.map((j): Jurisdiction => ({
    code: j.code,
    currency: j.currency,
    timeZone: j.timeZone,
    centralBank: j.centralBank,
    midRate: j.midRate,
    banks: [
      {
        id: `LP${j.code}`,
        reserves: j.lp.reserves,
        issued: j.lp.issued,
        liquidityProvider: { spreadBps: 0, holdings: HOLDINGS[j.code]! },
      },
    ],
    // The paying banks hold reserves but no CBDC: alone, none of their payments can settle.
    bankGroups: [{ count: 2, prefix: `G${j.code}`, reserves: j.banks.reserves, issued: '0' }],
  })),
  corridors: RING.map((j, i) => ({ between: [j.code, RING[(i + 1) % RING.length]!.code] as const })),
  workload: legs(),
  variants: [
    {
      name: 'lsm-off',
      description: 'Liquidity saving off: gross settlement only.',
      policies: { liquiditySaving: false },
    },
  ],
}));
