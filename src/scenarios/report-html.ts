import type { ScenarioResults } from './results.js';

/** Rows of the summary: the scalar metrics a reader looks at first, with their labels. */
export const SUMMARY_ROWS: ReadonlyArray<readonly [string, string]> = [
  ['payments.received', 'payments received'],
  ['payments.settled', 'payments settled'],
  ['payments.settlementRate', 'settlement rate'],
  ['payments.settledNet', 'settled net (liquidity saving)'],
  ['payments.expired', 'expired in the queue'],
  ['payments.rejected', 'rejected at screening'],
  ['settlementTime.meanSeconds', 'mean time to settle (s)'],
  ['settlementTime.p99Seconds', 'p99 time to settle (s)'],
  ['queue.peakLength', 'peak queue length'],
  ['liquidity.usedTotal', 'liquidity used'],
  ['liquidity.saved', 'liquidity saved by offsetting'],
  ['fx.cost', 'FX cost (spread)'],
  ['fees.total', 'fees'],
  ['herstatt.peakExposure', 'peak Herstatt exposure'],
  ['herstatt.realisedLoss', 'realised Herstatt loss'],
  ['volume.total', 'value settled'],
];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cell(mean: string, ci: string): string {
  return ci === '' ? mean : `${mean} <span class="ci">± ${ci}</span>`;
}

/** report.html: the summary and comparison tables, then every chart (SVG inline), then notes. */
export function reportHtml(
  results: ScenarioResults,
  charts: ReadonlyArray<{ id: string; title: string; caption: string; svg: string }>,
): string {
  const runs = results.runs;
  const first = runs[0]!;
  const header = `<tr><th>metric</th>${runs.map((r) => `<th>${escape(r.label)}</th>`).join('')}</tr>`;
  const rows = SUMMARY_ROWS.map(
    ([key, label]) =>
      `<tr><td>${escape(label)}</td>${runs.map((r) => `<td>${cell(r.summary[key]!.mean, r.summary[key]!.ci95)}</td>`).join('')}</tr>`,
  ).join('\n');
  const comparisons = results.comparisons
    .map((c) => {
      const lines = SUMMARY_ROWS.map(([key, label]) => {
        const d = c.differences[key]!;
        return `<tr class="${d.significant ? 'sig' : ''}"><td>${escape(label)}</td><td>${d.mean}</td><td>${d.ci95 === '' ? '—' : `[${d.low}, ${d.high}]`}</td><td>${d.significant ? 'yes' : 'no'}</td></tr>`;
      }).join('\n');
      return `<h3>${escape(c.variant)} − ${escape(c.against)}</h3>
<table><tr><th>metric</th><th>mean difference</th><th>95 % CI</th><th>CI excludes 0</th></tr>
${lines}</table>`;
    })
    .join('\n');
  const events = first.replications[0]?.timedEvents ?? [];
  const figures = charts
    .map(
      (c) =>
        `<figure id="${c.id}"><h3>${escape(c.title)}</h3>${c.svg}<figcaption>${escape(c.caption)}</figcaption></figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>yuanbridge scenario: ${escape(first.scenario)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}.ci{color:#777;font-size:.85em}tr.sig td{background:#eef7ee}
figure{margin:2em 0}figcaption{color:#555;font-size:.9em}code{background:#f4f4f4;padding:0 .2em}
</style></head><body>
<h1>Scenario <code>${escape(first.scenario)}</code></h1>
<p>${escape(runs.map((r) => `${r.label}: ${r.description}`).join(' · '))}</p>
<p>Seed ${first.seed}, ${first.replications.length} replication(s) per run, ${(first.durationSeconds / 86_400).toFixed(2)} days of virtual time; values in ${escape(first.reportingCurrency)} at the scenario's mid rates; ± is the half-width of the 95 % confidence interval over replications (Student's t).</p>
<h2>Summary</h2>
<table>${header}
${rows}</table>
${results.comparisons.length > 0 ? `<h2>Differences (paired by replication: same workload)</h2>\n${comparisons}` : ''}
<h2>Charts</h2>
${figures}
<h2>Timed events (${escape(first.label)}, replication 0)</h2>
<table><tr><th>day</th><th>event</th><th>phase</th><th>what the deciders said</th></tr>
${events.map((e) => `<tr><td>${(e.atSeconds / 86_400).toFixed(3)}</td><td>${escape(e.event)}</td><td>${e.phase}</td><td>${escape(e.outcome)}</td></tr>`).join('\n')}
</table>
<p>Every figure is in <code>results.json</code>; the time series are in <code>queue.csv</code> and <code>liquidity.csv</code>.</p>
</body></html>
`;
}

/** The terminal's summary table (fixed-width text). */
export function summaryTable(results: ScenarioResults): string {
  const runs = results.runs;
  const columns = [['metric', ...SUMMARY_ROWS.map(([, label]) => label)]];
  for (const r of runs) {
    columns.push([
      r.label,
      ...SUMMARY_ROWS.map(
        ([key]) => `${r.summary[key]!.mean}${r.summary[key]!.ci95 === '' ? '' : ` ±${r.summary[key]!.ci95}`}`,
      ),
    ]);
  }
  for (const c of results.comparisons) {
    columns.push([
      `${c.variant} − ${c.against}`,
      ...SUMMARY_ROWS.map(([key]) => {
        const d = c.differences[key]!;
        return `${d.mean}${d.ci95 === '' ? '' : ` ±${d.ci95}`}${d.significant ? ' *' : ''}`;
      }),
    ]);
  }
  const widths = columns.map((col) => Math.max(...col.map((s) => s.length)));
  const lines = columns[0]!.map((_, row) =>
    columns
      .map((col, i) => (i === 0 ? col[row]!.padEnd(widths[i]!) : col[row]!.padStart(widths[i]!)))
      .join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return `${lines.join('\n')}\n${results.comparisons.length > 0 ? '(* : the 95 % confidence interval of the difference excludes 0)\n' : ''}`;
}
