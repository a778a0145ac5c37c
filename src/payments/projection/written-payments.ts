import type { PaymentRow } from '../payment.view.js';

/** A row as the projection writes it: JSON values, typed by the insert's column list. */
export type WrittenRow = Record<string, string | number | string[] | null>;

/** Rows kept at most: far more than the submissions one sequencer batch answers at once. */
const DEFAULT_CAPACITY = 20_000;

const UUID_COLUMNS = ['id', 'quote_id', 'set_id'] as const;
const TIME_COLUMNS = ['received_at', 'expires_at', 'updated_at'] as const;

/**
 * The payments rows a batch inserted, as the payments table returns them, kept from the moment the
 * projection builds the batch's commit until the submission they answer takes them. A submission
 * is answered right after its batch commits, with its row as GET /v1/payments/{id} shows it: taken
 * from here, no SELECT is needed after the commit (it cost a round trip, the row parsing and an
 * event-loop turn for every committed batch). The row is exactly what the commit wrote, so the
 * answer is the payment as its own batch left it.
 *
 * A row is taken once (the submission's answer); a miss (a replayed key, a row evicted, another
 * instance) reads the table. Rows of a batch whose commit fails are never asked for (its callers
 * get an error) and age out: the map keeps the newest `capacity` rows.
 */
export class WrittenPayments {
  private readonly rows = new Map<string, PaymentRow>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  remember(written: readonly WrittenRow[]): void {
    for (const row of written) {
      const typed = asTableRow(row);
      this.rows.set(typed.id, typed);
    }
    // Map iteration follows insertion order: the first keys are the oldest rows.
    for (const id of this.rows.keys()) {
      if (this.rows.size <= this.capacity) break;
      this.rows.delete(id);
    }
  }

  /** The row written for the payment, once; undefined if it is not (or no longer) here. */
  take(id: string): PaymentRow | undefined {
    const row = this.rows.get(id);
    if (row !== undefined) this.rows.delete(id);
    return row;
  }

  get size(): number {
    return this.rows.size;
  }
}

/**
 * What node-postgres would read back for the row: uuids in PostgreSQL's lowercase text form,
 * timestamps as Dates (the written ISO strings carry milliseconds, as timestamptz keeps them),
 * bigints and text as the strings written, arrays as written.
 */
function asTableRow(row: WrittenRow): PaymentRow {
  const typed: Record<string, unknown> = { ...row };
  for (const column of UUID_COLUMNS) {
    const value = row[column];
    if (typeof value === 'string') typed[column] = value.toLowerCase();
  }
  for (const column of TIME_COLUMNS) typed[column] = new Date(row[column] as string);
  typed.settled_at = row.settled_at === null ? null : new Date(row.settled_at as string);
  return typed as unknown as PaymentRow;
}
