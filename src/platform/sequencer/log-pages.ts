import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Events of the log in position order, a page at a time, for the rebuild.
 *
 * PostgreSQL sends each page as one row of four text values that it aggregates: the events'
 * types and stream ids (joined by line feeds), their stream versions, and their data as one JSON
 * array (`data` inlined as stored: the json type keeps its input text). Read row by row, `pg`
 * made a message, a field array, a row and five strings per event and parsed each `data` alone
 * (1.5 s and much of the collector's 1.55 s per 1,000,000 events, docs/benchmarks.md); here one
 * JSON.parse per page makes only what the rebuild keeps. JSON.parse reads a value inside an array
 * exactly as it reads it alone, so the data are those the row-by-row read gave.
 *
 * The next page is requested before the current one is handed over, so PostgreSQL reads and
 * builds it while Node evolves state. Pages are a few megabytes: the old 20,000-row pages were
 * held whole while evolved, so the collector promoted most of what they allocated.
 */
export interface LogPage {
  /** Events in the page. */
  readonly count: number;
  /** Position of its last event. */
  readonly last: bigint;
  /** Per event, in order. */
  readonly types: readonly string[];
  readonly streamIds: readonly string[];
  readonly streamVersions: readonly number[];
  /** The events' data as JSON.parse made them (the rebuild may take them over). */
  readonly data: unknown[];
}

/**
 * Events per page when they are of the usual size (a few hundred bytes each: ~2.7 MB of text).
 * Measured on a full replay of 1,000,000 transfers against pages of 2,000: 0.1–0.8 s less CPU
 * (fewer round trips, fewer wake-ups of the backend), peak RSS ~30 MiB higher (as before paging).
 */
const PAGE_EVENTS = 8_000;
/**
 * A page's data is refused beyond this (PostgreSQL refuses text over 1 GB, V8 strings over
 * ~512 M characters): a page too large is asked for again with half as many events.
 */
const PAGE_MAX_BYTES = 64 * 1024 * 1024;
/** SQLSTATE program_limit_exceeded: a value over PostgreSQL's 1 GB limit. */
const PROGRAM_LIMIT_EXCEEDED = '54000';

interface PageRow {
  n: number;
  last: string | null;
  types: string | null;
  streams: string | null;
  versions: string | null;
  bytes: number | null;
  data: string | null;
}

/**
 * The aggregates have no ORDER BY of their own: a plain aggregate consumes its input in the
 * order the subquery's limit over the primary key index yields it, which is how the PostgreSQL
 * manual says to feed ordered input to an aggregate; an ORDER BY would sort each aggregate's
 * input again (doubling the server's work). All four read the same rows in one pass, so the
 * i-th type, stream, version and data are the same event's.
 */
const PAGE_SQL = `
  select n, last, types, streams, versions, octet_length(data) as bytes,
         case when octet_length(data) <= $3 then data end as data
  from (
    select count(*)::int as n, max(global_position)::text as last,
           string_agg(type, E'\\n') as types, string_agg(stream_id, E'\\n') as streams,
           string_agg(stream_version::text, ',') as versions,
           '[' || string_agg(data::text, ',') || ']' as data
    from (select global_position, type, stream_id, stream_version, data from events
          where global_position > $1 order by global_position limit $2) page
  ) agg`;

/** The same page row by row: for a page whose types or stream ids hold a line feed. */
const ROWS_SQL = `
  select type, stream_id, stream_version, data::text as data from events
  where global_position > $1 order by global_position limit $2`;

/** Hands `onPage` every page of events after position `after`, in order. */
export async function readLogPages(
  dataSource: DataSource,
  after: bigint,
  onPage: (page: LogPage) => void,
): Promise<void> {
  // The pool's client itself: a query sent on it goes out at once (a TypeORM query runner sends
  // it a few microtasks later, i.e. only after the current page had been worked on).
  const driver = dataSource.driver as unknown as {
    obtainMasterConnection(): Promise<[PoolClient, (error?: unknown) => void]>;
  };
  const [client, release] = await driver.obtainMasterConnection();
  let limit = PAGE_EVENTS;
  let from = after;
  const request = (): Promise<PageRow> =>
    client.query<PageRow>(PAGE_SQL, [from.toString(), limit, PAGE_MAX_BYTES]).then((r) => r.rows[0]!);
  let next: Promise<PageRow> | null = request();
  let failed: unknown = null;
  try {
    while (next !== null) {
      let row: PageRow;
      try {
        row = await next;
      } catch (error) {
        next = null;
        if ((error as { code?: unknown }).code !== PROGRAM_LIMIT_EXCEEDED || limit === 1) throw error;
        limit = Math.max(1, limit >> 1);
        next = request();
        continue;
      }
      next = null;
      if (row.n === 0) break;
      if (row.data === null) {
        if (limit === 1) {
          throw new Error(`the event after position ${from} is ${row.bytes} bytes: too large to read`);
        }
        limit = Math.max(1, limit >> 1);
        next = request();
        continue;
      }
      const count = row.n;
      const start = from;
      from = BigInt(row.last!);
      const full = count === limit;
      let types = row.types!.split('\n');
      let streamIds = row.streams!.split('\n');
      let page: LogPage | null = null;
      if (types.length !== count || streamIds.length !== count) {
        // A type or stream id with a line feed (the writer refuses them since it joins them so).
        const rows = await client.query<{
          type: string;
          stream_id: string;
          stream_version: number;
          data: string;
        }>(ROWS_SQL, [start.toString(), count]);
        types = rows.rows.map((r) => r.type);
        streamIds = rows.rows.map((r) => r.stream_id);
        page = {
          count,
          last: from,
          types,
          streamIds,
          streamVersions: rows.rows.map((r) => r.stream_version),
          data: rows.rows.map((r) => JSON.parse(r.data) as unknown),
        };
      }
      // A full page: the log may go on. Ask for the next page before working on this one.
      if (full) {
        limit = Math.min(PAGE_EVENTS, limit * 2);
        next = request();
      }
      if (page === null) {
        const data = JSON.parse(row.data) as unknown[];
        const streamVersions = JSON.parse(`[${row.versions!}]`) as number[];
        if (data.length !== count || streamVersions.length !== count) {
          throw new Error(
            `a page of ${count} events read as ${data.length} data and ${streamVersions.length} versions`,
          );
        }
        page = { count, last: from, types, streamIds, streamVersions, data };
      }
      onPage(page);
    }
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    // A request still in flight is waited for: the client goes back to the pool idle (or is
    // dropped with the error).
    await next?.catch(() => undefined);
    release(failed ?? undefined);
  }
}
