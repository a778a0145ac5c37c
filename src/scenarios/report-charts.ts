import type { ScenarioResults } from './results.js';

/**
 * The report's charts as Vega-Lite specifications, rendered to SVG by Vega in Node (no browser,
 * no hand-drawn SVG). Vega is ESM with top-level await, so it is loaded with import(), not
 * require().
 */
type Spec = Record<string, unknown>;

const WIDTH = 560;
const HEIGHT = 220;

export function chartSpecs(
  results: ScenarioResults,
): Array<{ id: string; title: string; caption: string; spec: Spec }> {
  const runs = results.runs;
  const currency = runs[0]!.reportingCurrency;
  const days = (t: number) => Number((t / 86_400).toFixed(4));
  const meanSeries = (field: 'queueLength' | 'meanQueueDelaySeconds' | 'herstattExposure' | 'settled') =>
    runs.flatMap((run) => {
      const n = run.replications.length;
      const rows = run.replications[0]?.series ?? [];
      return rows.map((row, i) => ({
        run: run.label,
        day: days(row.t),
        value: run.replications.reduce((s, r) => s + Number(r.series[i]?.[field] ?? 0), 0) / n,
      }));
    });
  const line = (values: object[], y: string): Spec => ({
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'day', type: 'quantitative', title: 'day' },
      y: { field: 'value', type: 'quantitative', title: y },
      color: { field: 'run', type: 'nominal', title: 'run' },
    },
  });
  const withCi = (metric: string, title: string): Spec => ({
    width: WIDTH,
    height: 40 * runs.length,
    data: {
      values: runs.map((run) => {
        const e = run.summary[metric]!;
        return { run: run.label, mean: Number(e.mean), low: Number(e.low), high: Number(e.high) };
      }),
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'run', type: 'nominal', title: null },
          x: { field: 'mean', type: 'quantitative', title },
        },
      },
      {
        mark: { type: 'rule', color: 'black' },
        encoding: {
          y: { field: 'run', type: 'nominal' },
          x: { field: 'low', type: 'quantitative' },
          x2: { field: 'high' },
        },
      },
    ],
  });
  const histogram = runs.flatMap((run) => {
    const labels = run.replications[0]?.metrics.settlementTimeSeconds.histogram.map((h) => h.label) ?? [];
    return labels.map((label, i) => ({
      run: run.label,
      bucket: label,
      order: i,
      count:
        run.replications.reduce((s, r) => s + r.metrics.settlementTimeSeconds.histogram[i]!.count, 0) /
        run.replications.length,
    }));
  });
  const base = runs[0]!;
  const first = base.replications[0];
  const liquidityKeys = Object.entries(first?.metrics.liquidity.usedByBank ?? [])
    .map(([, r]) => r)
    .filter((r) => Number(r.used) > 0)
    .sort((a, b) => Number(b.used) - Number(a.used))
    .slice(0, 8)
    .map((r) => `${r.bank}.${r.currency}`);
  const liquidity = (first?.series ?? []).flatMap((row) =>
    liquidityKeys.map((key) => ({
      day: days(row.t),
      account: key,
      used: Math.max(0, -Number(row.liquidity[key] ?? 0)),
    })),
  );
  const shares = (by: 'byCurrency' | 'byCorridor') =>
    Object.entries(first?.metrics.volume[by] ?? {}).map(([key, v]) => ({ key, share: Number(v.share) }));
  const costs = runs.flatMap((run) => [
    { run: run.label, kind: 'FX cost (spread)', value: Number(run.summary['fx.cost']!.mean) },
    { run: run.label, kind: 'fees', value: Number(run.summary['fees.total']!.mean) },
  ]);
  return [
    {
      id: 'settlement-time',
      title: 'Settlement time distribution',
      caption: 'Payments settled per time-to-settle bucket (mean over replications).',
      spec: {
        width: WIDTH,
        height: HEIGHT,
        data: { values: histogram },
        mark: 'bar',
        encoding: {
          x: { field: 'bucket', type: 'ordinal', sort: { field: 'order' }, title: 'time to settle' },
          xOffset: { field: 'run' },
          y: { field: 'count', type: 'quantitative', title: 'payments' },
          color: { field: 'run', type: 'nominal' },
        },
      },
    },
    {
      id: 'settlement-rate',
      title: 'Settlement rate',
      caption:
        'Share of received payments settled by the end; bars are means, black rules 95 % confidence intervals.',
      spec: withCi('payments.settlementRate', 'settled / received'),
    },
    {
      id: 'queue-length',
      title: 'Queue length over time',
      caption: 'Payments waiting at each sample (mean over replications).',
      spec: line(meanSeries('queueLength'), 'queued payments'),
    },
    {
      id: 'queue-delay',
      title: 'Queue delay over time',
      caption: 'Mean time the waiting payments have waited, at each sample (seconds).',
      spec: line(meanSeries('meanQueueDelaySeconds'), 'seconds waited'),
    },
    {
      id: 'liquidity',
      title: `Liquidity used per bank and currency over time (${base.label}, replication 0)`,
      caption:
        'Deepest net outflow from the start in each sample period, in minor units of the account’s currency; the eight bank wallets that used most.',
      spec: {
        width: WIDTH,
        height: HEIGHT,
        data: { values: liquidity },
        mark: { type: 'line', interpolate: 'step-after' },
        encoding: {
          x: { field: 'day', type: 'quantitative' },
          y: { field: 'used', type: 'quantitative', title: 'liquidity used (minor units)' },
          color: { field: 'account', type: 'nominal', title: 'bank.currency' },
        },
      },
    },
    {
      id: 'liquidity-saved',
      title: 'Liquidity saved by offsetting',
      caption: `Gross value of the legs of payments settled net, less what was actually paid into the clearing accounts (${currency}).`,
      spec: withCi('liquidity.saved', `saved (${currency})`),
    },
    {
      id: 'fx-cost',
      title: 'FX cost and fees',
      caption: `Spread paid against the mid rate, and corridor fees (${currency}, mean over replications).`,
      spec: {
        width: WIDTH,
        height: HEIGHT,
        data: { values: costs },
        mark: 'bar',
        encoding: {
          x: { field: 'run', type: 'nominal', title: null },
          xOffset: { field: 'kind' },
          y: { field: 'value', type: 'quantitative', title: currency },
          color: { field: 'kind', type: 'nominal' },
        },
      },
    },
    {
      id: 'herstatt',
      title: 'Herstatt exposure over time',
      caption: `Value paid by payers whose payees were not yet paid (${currency}); zero under PvP, where both legs are one decision.`,
      spec: line(meanSeries('herstattExposure'), `exposure (${currency})`),
    },
    {
      id: 'volume-currency',
      title: `Volume share by currency (${base.label})`,
      caption: 'Share of settled value by the currency sold.',
      spec: {
        width: WIDTH,
        height: 30 * Math.max(1, shares('byCurrency').length),
        data: { values: shares('byCurrency') },
        mark: 'bar',
        encoding: {
          y: { field: 'key', type: 'nominal', title: null },
          x: { field: 'share', type: 'quantitative', axis: { format: '%' } },
        },
      },
    },
    {
      id: 'volume-corridor',
      title: `Volume share by corridor direction (${base.label})`,
      caption: 'Share of settled value by payer → payee jurisdiction.',
      spec: {
        width: WIDTH,
        height: 24 * Math.max(1, shares('byCorridor').length),
        data: { values: shares('byCorridor') },
        mark: 'bar',
        encoding: {
          y: { field: 'key', type: 'nominal', title: null },
          x: { field: 'share', type: 'quantitative', axis: { format: '%' } },
        },
      },
    },
  ];
}

/** Renders each chart to SVG with vega-lite (compile) and vega (headless view). */
export async function renderCharts(
  results: ScenarioResults,
): Promise<Array<{ id: string; title: string; caption: string; svg: string }>> {
  const vega = await import('vega');
  const vegaLite = await import('vega-lite');
  const out: Array<{ id: string; title: string; caption: string; svg: string }> = [];
  for (const chart of chartSpecs(results)) {
    const compiled = vegaLite.compile(chart.spec as never).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    out.push({ id: chart.id, title: chart.title, caption: chart.caption, svg: await view.toSVG() });
    view.finalize();
  }
  return out;
}
