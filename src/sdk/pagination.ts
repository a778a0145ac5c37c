/** A page as every listing of the API returns it: items, and the cursor of the next page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * Every page of a listing, fetched one at a time as the caller iterates: the first without a
 * cursor, each next one with the previous page's `nextCursor` as `after`, until it is null.
 * Cursors are positions in the log, so a page is stable even while new items arrive.
 */
export async function* pages<P extends Page<unknown>>(
  fetchPage: (after: string | undefined) => Promise<P>,
): AsyncGenerator<P, void, undefined> {
  let after: string | undefined;
  for (;;) {
    const page = await fetchPage(after);
    yield page;
    if (page.nextCursor === null || page.nextCursor === undefined) return;
    if (page.nextCursor === after) throw new Error(`the service returned the same cursor twice (${after})`);
    after = page.nextCursor;
  }
}

/** The items of every page, in order. */
export async function* pageItems<T>(source: AsyncIterable<Page<T>>): AsyncGenerator<T, void, undefined> {
  for await (const page of source) yield* page.items;
}
