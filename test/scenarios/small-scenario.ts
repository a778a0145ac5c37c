import { parseScenario } from '../../src/scenarios/load-scenario.js';
import type { ScenarioPlan } from '../../src/scenarios/scenario.js';

/**
 * A small two-jurisdiction scenario for tests (CN and HK, a provider and two banks each, one day,
 * ~120 payments), with `extra` YAML appended (events, variants, policies).
 */
export function smallScenario(
  extra = '',
  overrides: { seed?: number; replications?: number } = {},
): ScenarioPlan {
  return parseScenario(
    `name: small
seed: ${overrides.seed ?? 42}
duration: 1d
replications: ${overrides.replications ?? 1}
sampleEvery: 1h
policies: { expiresIn: 12h, settlementInterval: 5m }
jurisdictions:
  - { code: CN, currency: CNY, timeZone: Asia/Shanghai, centralBank: PBOC, midRate: "1",
      banks: [ { id: LPCN, reserves: "10000000", issued: "5000000", liquidityProvider: { spreadBps: 10, holdings: { HKD: "2000000" } } } ],
      bankGroups: [ { count: 2, prefix: CNB, reserves: "1000000", issued: "500000" } ] }
  - { code: HK, currency: HKD, timeZone: Asia/Hong_Kong, centralBank: HKMA, midRate: "1.08",
      banks: [ { id: LPHK, reserves: "10000000", issued: "5000000", liquidityProvider: { spreadBps: 10, holdings: { CNY: "2000000" } } } ],
      bankGroups: [ { count: 2, prefix: HKB, reserves: "1000000", issued: "500000" } ] }
corridors:
  - { between: [CN, HK], feeBps: 2 }
workload:
  - { from: CN, to: HK, perDay: 60, amount: { distribution: lognormal, median: 10000, sigma: 0.8 } }
  - { from: HK, to: CN, perDay: 60, amount: { distribution: lognormal, median: 10000, sigma: 0.8 } }
${extra}`,
    'small.yaml',
  );
}
