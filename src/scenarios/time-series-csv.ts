import type { ScenarioResults } from './results.js';

/**
 * The time series as CSV, one file per measure family, one row per (run, replication, sample):
 * what a researcher loads into R or pandas. Times are seconds since the scenario's start.
 */
export function timeSeriesCsv(results: ScenarioResults): Record<string, string> {
  const queue = [
    'run,replication,t_seconds,received,settled,queue_length,mean_queue_delay_seconds,herstatt_exposure',
  ];
  const liquidity = ['run,replication,t_seconds,bank,currency,lowest_position'];
  for (const run of results.runs) {
    for (const rep of run.replications) {
      for (const row of rep.series) {
        queue.push(
          [
            run.label,
            rep.replication,
            row.t,
            row.received,
            row.settled,
            row.queueLength,
            row.meanQueueDelaySeconds.toFixed(3),
            row.herstattExposure,
          ].join(','),
        );
        for (const [key, low] of Object.entries(row.liquidity).sort()) {
          const [bank, currency] = key.split('.');
          liquidity.push([run.label, rep.replication, row.t, bank, currency, low].join(','));
        }
      }
    }
  }
  return { 'queue.csv': `${queue.join('\n')}\n`, 'liquidity.csv': `${liquidity.join('\n')}\n` };
}
