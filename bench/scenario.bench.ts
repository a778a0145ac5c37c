import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { nameBasedId } from '../src/ledger/domain/id.js';
import { accountInput, planChains, transferInput } from '../src/ledger/domain/ledger-effects.js';
import { LedgerState } from '../src/ledger/domain/ledger.state.js';
import { evolveLedger } from '../src/ledger/domain/ledger.decider.js';
import { decideLedger } from '../src/ledger/domain/ledger.decider.js';
import { loadScenarioFile } from '../src/scenarios/load-scenario.js';
import { runReplication } from '../src/scenarios/run-replication.js';
import { fixed, int, mib, passMiss, printTable } from './support/table.js';

/**
 * The scenario engine: simulated payments per second, in memory, with full domain logic (every
 * payment decided by the payments decider, its legs by the ledger, the settlement cycles, the
 * metrics collected from the events), on scenarios/stress-1m.yaml (BENCH_SCENARIO_FILE to run
 * another), one replication in this thread. Peak memory: the process's maxRSS and the largest
 * heap seen, both taken before the reference runs.
 *
 * Reference in the same run (performance.md: measure beside a reference): the ledger decider
 * alone booking linked chains of three transfers (a PvP payment's legs and its fee) in memory,
 * decide + evolve, no payments logic — the floor under what one simulated payment costs. It runs
 * after the scenario, so that its garbage is not in the scenario's heap.
 *
 * The replication runs as a researcher's `yuanbridge scenario run` runs it: runReplication itself
 * turns off V8's allocation-site pretenuring for the process (docs/adr/0017), here as in the CLI,
 * so this process's other modules no longer decide how its garbage is collected.
 */
const TARGET_PER_SECOND = 100_000;

export async function runScenarioBench(): Promise<Record<string, unknown>> {
  const file =
    process.env.BENCH_SCENARIO_FILE ?? path.resolve(__dirname, '..', '..', 'scenarios', 'stress-1m.yaml');
  const plan = loadScenarioFile(file);
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 250);
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = runReplication(
    { plan, variant: 'baseline', replication: 0, seed: plan.seed },
    { onProgress: () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)) },
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  const payments = result.metrics.payments.received;
  const perSecond = payments / seconds;
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  // The reference runs after the scenario: run first, its 600,000 transfers and ids stayed in the
  // old generation through the scenario (nothing forced a full collection), counted in its peak
  // memory and made its collections dearer.
  const reference = ledgerChainsPerSecond(Number(process.env.BENCH_SCENARIO_REFERENCE_CHAINS ?? 200_000));

  printTable(
    `Scenario engine: ${path.basename(file)} (${int(payments)} payments, ${(plan.durationSeconds / 86_400).toFixed(0)} virtual days), one replication, one thread`,
    ['measure', 'value', 'target', ''],
    [
      [
        'simulated payments/s',
        int(perSecond),
        int(TARGET_PER_SECOND),
        passMiss(perSecond >= TARGET_PER_SECOND),
      ],
      ['wall time', `${fixed(seconds, 1)} s`, '', ''],
      ['CPU time (user + system)', `${fixed((cpu.user + cpu.system) / 1e6, 1)} s`, '', ''],
      ['events written', int(result.eventsWritten), '', ''],
      ['payments settled', int(result.metrics.payments.settled), '', ''],
      ['peak RSS (maxRSS)', mib(maxRssBytes), '', ''],
      ['peak heap used (sampled)', mib(heapPeak), '', ''],
      ['reference: ledger chains/s (3 legs, decide + evolve)', int(reference), '', ''],
      ['engine payments/s ÷ reference chains/s', fixed(perSecond / reference, 3), '', ''],
    ],
  );
  return {
    file: path.relative(process.cwd(), file),
    payments,
    settled: result.metrics.payments.settled,
    eventsWritten: result.eventsWritten,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    paymentsPerSecond: perSecond,
    targetPaymentsPerSecond: TARGET_PER_SECOND,
    maxRssBytes,
    heapPeakBytes: heapPeak,
    reference: { ledgerChainsPerSecond: reference },
    ratioToReference: perSecond / reference,
  };
}

/** Chains of three linked transfers among 40 accounts, decided and evolved one chain at a time. */
function ledgerChainsPerSecond(chains: number): number {
  const state = new LedgerState();
  const accounts = Array.from({ length: 40 }, (_, i) => nameBasedId(`bench-scenario-account-${i}`));
  const opened = decideLedger(
    {
      type: 'CreateAccounts',
      strict: true,
      now: 1n,
      accounts: accounts.map((id) => accountInput(id, 'CNY', 1, 0)),
    },
    state,
  );
  if (opened.kind === 'rejected') throw new Error(`reference: ${opened.rejection.detail}`);
  for (const event of opened.events) evolveLedger(state, event);
  const ids = Array.from({ length: chains * 3 }, (_, i) => nameBasedId(`bench-scenario-transfer-${i}`));
  const started = performance.now();
  for (let c = 0; c < chains; c++) {
    const chain = [0, 1, 2].map((k) =>
      transferInput({
        id: ids[c * 3 + k]!,
        debitAccountId: accounts[(c + k) % 40]!,
        creditAccountId: accounts[(c + k + 7) % 40]!,
        amount: 100n,
        currency: 'CNY',
        code: 300,
      }),
    );
    const planned = planChains(state, [chain], BigInt(c + 2));
    for (const event of planned.events) evolveLedger(state, event);
  }
  return chains / ((performance.now() - started) / 1000);
}
