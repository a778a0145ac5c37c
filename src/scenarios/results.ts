import { scalarMetrics } from './metrics.js';
import type { ReplicationResult } from './run-replication.js';
import type { ScenarioPlan } from './scenario.js';
import { estimate, pairedDifference, type Estimate } from './statistics.js';

/** One thing run: a variant of a scenario file, under the label results use for it. */
export interface RunSpec {
  readonly label: string;
  readonly plan: ScenarioPlan;
  readonly variant: string;
}

export interface ScenarioResults {
  readonly format: 'yuanbridge-scenario-results/1';
  readonly runs: ReadonlyArray<{
    readonly label: string;
    readonly scenario: string;
    readonly variant: string;
    readonly description: string;
    readonly sourceDigest: string;
    readonly seed: number;
    readonly durationSeconds: number;
    readonly reportingCurrency: string;
    readonly policies: object;
    readonly summary: Record<string, Estimate>;
    readonly replications: readonly ReplicationResult[];
  }>;
  readonly comparisons: ReadonlyArray<{
    readonly variant: string;
    readonly against: string;
    readonly differences: Record<string, Estimate & { significant: boolean }>;
  }>;
}

/**
 * results.json's content. Built only from the replications' results, in a fixed order (runs as
 * given, replications by number), with no wall-clock time, host or timing in it: the same file
 * and seed give the same bytes.
 */
export function assembleResults(
  runs: readonly RunSpec[],
  results: readonly ReplicationResult[][],
): ScenarioResults {
  const assembled = runs.map((run, i) => {
    const reps = [...results[i]!].sort((a, b) => a.replication - b.replication);
    const scalars = reps.map((r) => scalarMetrics(r.metrics));
    const names = Object.keys(scalars[0] ?? {});
    const variant = run.plan.variants.find((v) => v.name === run.variant)!;
    return {
      label: run.label,
      scenario: run.plan.name,
      variant: run.variant,
      description: variant.description,
      sourceDigest: run.plan.sourceDigest,
      seed: reps[0]?.seed ?? run.plan.seed,
      durationSeconds: run.plan.durationSeconds,
      reportingCurrency: run.plan.reportingCurrency,
      policies: variant.policies,
      summary: Object.fromEntries(names.map((name) => [name, estimate(scalars.map((s) => s[name]!))])),
      replications: reps,
    };
  });
  const base = assembled[0]!;
  const comparisons = assembled.slice(1).map((run) => {
    const a = base.replications.map((r) => scalarMetrics(r.metrics));
    const b = run.replications.map((r) => scalarMetrics(r.metrics));
    const names = Object.keys(a[0] ?? {});
    return {
      variant: run.label,
      against: base.label,
      differences: Object.fromEntries(
        names.map((name) => [
          name,
          pairedDifference(
            a.map((s) => s[name]!),
            b.map((s) => s[name]!),
          ),
        ]),
      ),
    };
  });
  return { format: 'yuanbridge-scenario-results/1', runs: assembled, comparisons };
}

/** JSON with bigints as strings and a trailing newline: the byte-stable text of results.json. */
export function resultsJson(results: ScenarioResults): string {
  return `${JSON.stringify(results, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}
