import { availableBalance } from '../../ledger/domain/ledger-effects.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import { bankWalletAccountId } from '../../institutions/domain/chart-of-accounts.js';
import type { Id } from '../../ledger/domain/id.js';
import type { Institution } from '../../institutions/domain/institution.js';
import type { InstitutionsState } from '../../institutions/domain/institutions.state.js';
import { buyAmountAt, exactRate, impliedRateExact, sellAmountAt, type ExactRate } from './conversion.js';
import { RateSheets, type FxState } from './fx.state.js';
import type { RateSheet } from './rate-sheet.js';

/**
 * Finding how a payment can be converted: directly by one liquidity provider, or through one
 * bridge currency by two (THB → CNY → AED), choosing the best for the payer. A route is only
 * offered when each provider holds, now, what it would pay out.
 */
export interface RouteLeg {
  readonly provider: string;
  readonly from: string;
  readonly to: string;
  /** What the provider receives, in `from` minor units. */
  readonly sellMinor: bigint;
  /** What the provider pays out, in `to` minor units. */
  readonly buyMinor: bigint;
  readonly rate: string;
  readonly spreadBps: number;
}

export interface Route {
  readonly from: string;
  readonly to: string;
  readonly sellMinor: bigint;
  readonly buyMinor: bigint;
  /** All-in rate, `to` per `from` in major units (display). */
  readonly rate: string;
  readonly legs: readonly RouteLeg[];
}

export interface RouteRequest {
  readonly from: string;
  readonly to: string;
  /** `source`: the payer sends `amount` of `from`; `target`: the payee receives `amount` of `to`. */
  readonly fixed: 'source' | 'target';
  readonly amount: bigint;
  readonly now: bigint;
  /** Only this provider (a quote naming one). */
  readonly provider?: string;
  /**
   * False: offer routes whatever the providers hold now (netting a set of queued payments
   * checks liquidity for the set as a whole). Default true.
   */
  readonly requireLiquidity?: boolean;
  /** Providers that may not be used (e.g. on a sanctions list). */
  readonly excludeProviders?: ProviderExclusion;
}

/** What `excludeProviders` is asked: a Set fits, or anything that answers `has`. */
export interface ProviderExclusion {
  has(provider: string): boolean;
}

export type RouteSearch =
  | { readonly ok: true; readonly route: Route }
  /** `no_rate`: nobody offers the pair, not even through a bridge; `insufficient_liquidity`: offers exist but nobody holds enough now. */
  | { readonly ok: false; readonly reason: 'no_rate' | 'insufficient_liquidity' };

export interface FxWorld {
  readonly fx: FxState;
  readonly institutions: InstitutionsState;
  readonly ledger: LedgerState;
}

/**
 * The best route for `request`. `live`: the sheets `liveRateSheets` gives for `request.now`, when
 * the caller prices many payments against the same state (a settlement cycle).
 */
export function findRoute(
  world: FxWorld,
  request: RouteRequest,
  live: readonly RateSheet[] = liveRateSheets(world, request.now),
): RouteSearch {
  // The best candidate is kept as they are found (`better`), the same one `best` picks from the
  // list of them: no candidate array, and no closure for `usable`, per payment priced.
  const pair = sheetsForPair(live, request.from, request.to);
  let offered = false;
  let chosen: Candidate | null = null;
  for (const sheet of pair.direct) {
    if (!usable(sheet, request)) continue;
    offered = true;
    const leg =
      request.fixed === 'source' ? legForSell(sheet, request.amount) : legForBuy(sheet, request.amount);
    if (leg !== null && canPay(world, sheet, leg.buyMinor, request))
      chosen = better(request.fixed, chosen, candidate([leg]));
  }
  if (chosen === null) {
    // Through one bridge currency, by two different providers.
    for (const [first, second] of pair.bridged) {
      if (!usable(first, request) || !usable(second, request)) continue;
      offered = true;
      const legs = bridgeLegs(first, second, request);
      if (
        legs !== null &&
        canPay(world, first, legs[0]!.buyMinor, request) &&
        canPay(world, second, legs[1]!.buyMinor, request)
      )
        chosen = better(request.fixed, chosen, candidate(legs));
    }
  }
  if (chosen === null) return { ok: false, reason: offered ? 'insufficient_liquidity' : 'no_rate' };
  return { ok: true, route: route(request, chosen) };
}

/** The sheet's provider may carry the request: the one it names, if any, and not excluded. */
function usable(sheet: RateSheet, request: RouteRequest): boolean {
  return (
    (request.provider === undefined || sheet.provider === request.provider) &&
    !(request.excludeProviders?.has(sheet.provider) ?? false)
  );
}

/**
 * The sheets that can price `from` → `to`, in the order of `live`: directly, and as (first,
 * second) through a bridge currency, by two different providers. Which providers a request may
 * use is asked of each as it is priced.
 */
interface PairSheets {
  readonly direct: readonly RateSheet[];
  readonly bridged: ReadonlyArray<readonly [RateSheet, RateSheet]>;
}

function pairSheets(live: readonly RateSheet[], from: string, to: string): PairSheets {
  const direct: RateSheet[] = [];
  const bridged: Array<readonly [RateSheet, RateSheet]> = [];
  for (const sheet of live) if (sheet.from === from && sheet.to === to) direct.push(sheet);
  for (const first of live) {
    if (first.from !== from || first.to === to) continue;
    for (const second of live)
      if (second.from === first.to && second.to === to && second.provider !== first.provider)
        bridged.push([first, second]);
  }
  return { direct, bridged };
}

/**
 * Pair lists by `from` and `to`, for the sheet lists liveRateSheets keeps (they serve every
 * payment until the sheets, their providers or the clock make a new one): a payment's pair is
 * found in two lookups rather than by walking every sheet, and every pair of them for a bridge.
 */
const PAIRS = new WeakMap<readonly RateSheet[], Map<string, Map<string, PairSheets>>>();

function sheetsForPair(live: readonly RateSheet[], from: string, to: string): PairSheets {
  const byFrom = PAIRS.get(live);
  if (byFrom === undefined) return pairSheets(live, from, to); // a list made by the caller: used once
  let byTo = byFrom.get(from);
  if (byTo === undefined) {
    byTo = new Map();
    byFrom.set(from, byTo);
  }
  let pair = byTo.get(to);
  if (pair === undefined) {
    pair = pairSheets(live, from, to);
    byTo.set(to, pair);
  }
  return pair;
}

/** Sheets of providers that still hold the role, not expired at `now`. */
export function liveRateSheets(world: FxWorld, now: bigint): readonly RateSheet[] {
  const all = world.fx.sheets;
  if (!(all instanceof RateSheets)) return currentLiveSheets(world, now).sheets;
  const kept = LIVE.get(all);
  if (kept !== undefined && stillLive(kept, world, now)) return kept.sheets;
  const fresh = currentLiveSheets(world, now);
  LIVE.set(all, fresh);
  PAIRS.set(fresh.sheets, new Map());
  return fresh.sheets;
}

/**
 * The live sheets, and what they depend on: the sheets map's version, each provider's record (an
 * institution is replaced, never changed, when its roles change), and the span of time in which
 * no sheet expires. Every payment submitted asks for them, and they change rarely (a sheet
 * published, withdrawn or expired, a role granted or revoked).
 */
interface LiveSheets {
  readonly version: number;
  readonly institutions: FxWorld['institutions']['institutions'];
  /** Every provider with a sheet, live or not, and its record as it was (undefined: none). */
  readonly providers: readonly string[];
  readonly records: ReadonlyArray<Institution | undefined>;
  /** The latest expiry at or before the time they were found (null: none): from then on, those stay expired. */
  readonly from: bigint | null;
  /** The earliest expiry after it (null: none): until then, the live ones stay live. */
  readonly until: bigint | null;
  readonly sheets: readonly RateSheet[];
}

const LIVE = new WeakMap<RateSheets, LiveSheets>();

function stillLive(kept: LiveSheets, world: FxWorld, now: bigint): boolean {
  if (kept.version !== (world.fx.sheets as RateSheets).version) return false;
  if (kept.from !== null && now < kept.from) return false;
  if (kept.until !== null && now >= kept.until) return false;
  const institutions = world.institutions.institutions;
  if (kept.institutions !== institutions) return false;
  for (let i = 0; i < kept.providers.length; i++)
    if (institutions.get(kept.providers[i]!) !== kept.records[i]) return false;
  return true;
}

function currentLiveSheets(world: FxWorld, now: bigint): LiveSheets {
  const institutions = world.institutions.institutions;
  const sheets: RateSheet[] = [];
  const providers: string[] = [];
  const records: Array<Institution | undefined> = [];
  let from: bigint | null = null;
  let until: bigint | null = null;
  for (const sheet of world.fx.sheets.values()) {
    if (!providers.includes(sheet.provider)) {
      providers.push(sheet.provider);
      records.push(institutions.get(sheet.provider));
    }
    if (sheet.expiresAt <= now) {
      if (from === null || sheet.expiresAt > from) from = sheet.expiresAt;
      continue;
    }
    if (until === null || sheet.expiresAt < until) until = sheet.expiresAt;
    if (!institutions.get(sheet.provider)?.roles.includes('liquidity_provider')) continue;
    sheets.push(sheet);
  }
  return {
    version: (world.fx.sheets as Partial<RateSheets>).version ?? -1,
    institutions,
    providers,
    records,
    from,
    until,
    sheets,
  };
}

/**
 * What pricing needs of a sheet besides its fields, worked out once per sheet (sheets are
 * replaced, never changed): its effective rate, parsed, and the provider's wallet accounts it
 * receives into and pays out of (derived for every candidate leg before: two lookups each).
 */
interface SheetTerms {
  readonly rate: ExactRate;
  readonly receivesInto: Id;
  readonly paysFrom: Id;
}

const SHEET_TERMS = new WeakMap<RateSheet, SheetTerms>();

function termsOf(sheet: RateSheet): SheetTerms {
  let terms = SHEET_TERMS.get(sheet);
  if (terms === undefined) {
    terms = {
      rate: exactRate(sheet.rate, sheet.spreadBps),
      receivesInto: bankWalletAccountId(sheet.provider, sheet.from),
      paysFrom: bankWalletAccountId(sheet.provider, sheet.to),
    };
    SHEET_TERMS.set(sheet, terms);
  }
  return terms;
}

function rateOf(sheet: RateSheet): ExactRate {
  return termsOf(sheet).rate;
}

function legForSell(sheet: RateSheet, sellMinor: bigint): RouteLeg | null {
  const buyMinor = buyAmountAt(sellMinor, sheet.from, sheet.to, rateOf(sheet));
  if (buyMinor === null || buyMinor <= 0n || buyMinor > sheet.maxAmount) return null;
  return leg(sheet, sellMinor, buyMinor);
}

function legForBuy(sheet: RateSheet, buyMinor: bigint): RouteLeg | null {
  if (buyMinor > sheet.maxAmount) return null;
  const sellMinor = sellAmountAt(buyMinor, sheet.from, sheet.to, rateOf(sheet));
  if (sellMinor === null || sellMinor <= 0n) return null;
  return leg(sheet, sellMinor, buyMinor);
}

function bridgeLegs(first: RateSheet, second: RateSheet, request: RouteRequest): RouteLeg[] | null {
  if (request.fixed === 'source') {
    const a = legForSell(first, request.amount);
    const b = a === null ? null : legForSell(second, a.buyMinor);
    return a === null || b === null ? null : [a, b];
  }
  const b = legForBuy(second, request.amount);
  const a = b === null ? null : legForBuy(first, b.sellMinor);
  return a === null || b === null ? null : [a, b];
}

function leg(sheet: RateSheet, sellMinor: bigint, buyMinor: bigint): RouteLeg {
  return {
    provider: sheet.provider,
    from: sheet.from,
    to: sheet.to,
    sellMinor,
    buyMinor,
    rate: sheet.rate,
    spreadBps: sheet.spreadBps,
  };
}

/** The sheet's provider has a wallet to receive into, and holds `buyMinor`, what it pays out. */
function canPay(world: FxWorld, sheet: RateSheet, buyMinor: bigint, request: RouteRequest): boolean {
  const { receivesInto, paysFrom } = termsOf(sheet);
  if (!world.ledger.accounts.has(receivesInto)) return false;
  if (request.requireLiquidity === false) return world.ledger.accounts.has(paysFrom);
  return availableBalance(world.ledger, paysFrom) >= buyMinor;
}

/** A route being compared: its all-in rate is worked out for the one chosen only. */
export interface Candidate {
  readonly sellMinor: bigint;
  readonly buyMinor: bigint;
  readonly legs: RouteLeg[];
}

export function candidate(legs: RouteLeg[]): Candidate {
  return { sellMinor: legs[0]!.sellMinor, buyMinor: legs[legs.length - 1]!.buyMinor, legs };
}

function route(request: RouteRequest, chosen: Candidate): Route {
  const { sellMinor, buyMinor, legs } = chosen;
  return {
    from: request.from,
    to: request.to,
    sellMinor,
    buyMinor,
    rate: impliedRateExact(sellMinor, request.from, buyMinor, request.to),
    legs,
  };
}

/**
 * The first of the best candidates: what a stable sort by `compareRoutes` puts first, found in one
 * pass (sorting allocated a work array on every payment, for one or two candidates).
 */
export function best(fixed: 'source' | 'target', candidates: readonly Candidate[]): Candidate {
  let chosen = candidates[0]!;
  for (let i = 1; i < candidates.length; i++)
    if (compareRoutes(fixed, candidates[i]!, chosen) < 0) chosen = candidates[i]!;
  return chosen;
}

/** Of the best so far (null: none yet) and the next found, the one `best` would pick: the earlier on a tie. */
function better(fixed: 'source' | 'target', chosen: Candidate | null, next: Candidate): Candidate {
  return chosen === null || compareRoutes(fixed, next, chosen) < 0 ? next : chosen;
}

/** Best first: most received (source fixed) or least paid (target fixed); then direct before bridged; then by provider ids. */
export function compareRoutes(fixed: 'source' | 'target', a: Candidate, b: Candidate): number {
  if (fixed === 'source' && a.buyMinor !== b.buyMinor) return a.buyMinor > b.buyMinor ? -1 : 1;
  if (fixed === 'target' && a.sellMinor !== b.sellMinor) return a.sellMinor < b.sellMinor ? -1 : 1;
  if (a.legs.length !== b.legs.length) return a.legs.length - b.legs.length;
  const ka = a.legs.map((l) => l.provider).join('>');
  const kb = b.legs.map((l) => l.provider).join('>');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
