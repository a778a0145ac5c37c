/** A plain-text table for the terminal: numbers right-aligned, everything else left-aligned. */
export function printTable(
  title: string,
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) =>
      rows.length > 0 && rows.every((r) => /^[-+]?[0-9][0-9,.]*( ?[a-zA-Z%/]+)?$|^$|^—$/.test(r[i] ?? '')),
  );
  const line = (cells: readonly string[]) =>
    '| ' +
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') +
    ' |';
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(
    '|' + widths.map((w, i) => (numeric[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|',
  );
  for (const row of rows) console.log(line(row));
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fixed(n: number, digits = 2): string {
  return n.toFixed(digits);
}

export function passMiss(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
