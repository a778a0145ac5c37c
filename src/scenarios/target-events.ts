import { Decimal } from 'decimal.js';
import { corridorId } from '../corridors/domain/corridor.js';
import type { KeyEntry } from '../institutions/bootstrap/keys-file.js';
import type { YuanbridgeClient } from '../sdk/client.js';
import { YuanbridgeProblem } from '../sdk/problem.js';
import type { Policies, ScenarioPlan, TimedEventPlan } from './scenario.js';
import { timedEventLabel } from './timed-events.js';

/**
 * Timed events and policies under `--target`: what a live service can be asked through its API,
 * and what it cannot. Each applicable event is the participants' own signed requests, as the
 * in-process engine issues the same commands (timed-events.ts): a corridor suspension is the
 * side's central bank suspending it, then resuming it; a freeze is the bank's central bank
 * freezing it, then unfreezing it; a run is the central bank redeeming a share of the bank's CBDC;
 * an outage is the provider withdrawing its live rate sheets, then publishing them again; an FX
 * shock is every provider with a live sheet in the currency publishing it at the moved rate, then
 * at the rate it had.
 */

/** The largest `expiresInSeconds` POST /v1/payments accepts. */
export const MAX_PAYMENT_EXPIRY_SECONDS = 604_800;
/** The largest `validForSeconds` a rate sheet may be published with. */
const MAX_SHEET_VALIDITY_SECONDS = 86_400;

/** A policy or event of the file the live service does not get, and why. */
export interface NotApplied {
  readonly what: string;
  readonly why: string;
}

/** One phase of a timed event as sent (or not) to the service. */
export interface TargetTimedOutcome {
  /** Virtual seconds since the scenario's start. */
  readonly atSeconds: number;
  readonly event: string;
  readonly phase: 'start' | 'end';
  /** Each request and the answer: `ok`, or the problem's code. */
  readonly outcome: string;
  readonly lateMs: number;
}

export interface TimedAction {
  readonly atSeconds: number;
  readonly index: number;
  readonly phase: 'start' | 'end';
  readonly event: TimedEventPlan;
  /** An end the file puts after the part of the scenario sent: sent when the run ends instead. */
  readonly cut: boolean;
}

/**
 * The baseline's timed events started within the first `virtualSeconds`, in time order. An event
 * started then whose end falls later is ended when the run ends: a load test must not leave the
 * live service with a corridor suspended, a bank frozen or a provider silent.
 */
export function timedActions(plan: ScenarioPlan, virtualSeconds: number): TimedAction[] {
  const baseline = plan.variants.find((v) => v.name === 'baseline')!;
  const actions: TimedAction[] = [];
  baseline.events.forEach((event, index) => {
    if (event.atSeconds > virtualSeconds) return;
    actions.push({ atSeconds: event.atSeconds, index, phase: 'start', event, cut: false });
    if ('durationSeconds' in event && event.durationSeconds !== null) {
      const end = event.atSeconds + event.durationSeconds;
      actions.push({
        atSeconds: Math.min(end, virtualSeconds),
        index,
        phase: 'end',
        event,
        cut: end > virtualSeconds,
      });
    }
  });
  return actions.sort(
    (a, b) =>
      a.atSeconds - b.atSeconds ||
      a.index - b.index ||
      (a.phase === b.phase ? 0 : a.phase === 'start' ? -1 : 1),
  );
}

/** Who signs each phase of the events: the ids whose keys the run needs. */
export function timedEventSigners(plan: ScenarioPlan, actions: readonly TimedAction[]): string[] {
  const ids = new Set<string>();
  for (const { event } of actions) {
    switch (event.type) {
      case 'corridor_suspension':
        ids.add(centralBankOf(plan, event.by));
        break;
      case 'freeze':
        ids.add(homeOf(plan, event.institution).centralBank);
        break;
      case 'bank_run':
        ids.add(homeOf(plan, event.bank).centralBank);
        break;
      case 'provider_outage':
        ids.add(event.provider);
        break;
      case 'fx_shock':
        // The file's providers quoting the currency (others found live are reported, not refused).
        for (const j of plan.jurisdictions)
          for (const b of j.banks)
            if (
              b.liquidityProvider !== null &&
              (j.currency === event.currency ||
                b.liquidityProvider.holdings.some((h) => h.currency === event.currency))
            )
              ids.add(b.id);
        break;
    }
  }
  return [...ids];
}

/**
 * The file's policies and events a live service cannot be given, and why; listed in the results
 * and on the terminal so that nobody reads a live run as the in-process one.
 */
export function notApplicable(plan: ScenarioPlan, policies: Policies): NotApplied[] {
  const list: NotApplied[] = [];
  if (!policies.pvp)
    list.push({
      what: 'policies.pvp: false',
      why: "the service always settles a payment's legs as one linked PvP chain (ADR 0010); the correspondent model exists only in process",
    });
  list.push({
    what: `policies.liquiditySaving: ${policies.liquiditySaving}`,
    why: "the service's own switch (YB_LIQUIDITY_SAVING, read at start): the service's setting applies",
  });
  list.push({
    what: `policies.settlementInterval: ${policies.settlementIntervalSeconds}s`,
    why: "the service's own timer (YB_SETTLEMENT_INTERVAL_MS, in wall time): the service's setting applies",
  });
  if (!policies.pvp)
    list.push({ what: 'policies.correspondentLag', why: 'belongs to the correspondent model (pvp: false)' });
  if (policies.expiresInSeconds > MAX_PAYMENT_EXPIRY_SECONDS)
    list.push({
      what: `policies.expiresIn: ${policies.expiresInSeconds}s`,
      why: `the API accepts at most ${MAX_PAYMENT_EXPIRY_SECONDS}s (7 days): sent as that`,
    });
  list.push({
    what: 'policies.expiresIn',
    why: 'sent as each payment’s expiresInSeconds, but a live service expires payments on wall time, not virtual time',
  });
  if (plan.variants.length > 1)
    list.push({
      what: `variants (${plan.variants
        .filter((v) => v.name !== 'baseline')
        .map((v) => v.name)
        .join(', ')})`,
      why: 'a live service has one set of rules: only the baseline is sent',
    });
  return list;
}

/** Applies timed events to the live service, remembering what an event's end must restore. */
export class LiveTimedEvents {
  /** Per event index: the sheets an outage withdrew or a shock replaced, to publish again. */
  private readonly saved = new Map<number, SavedSheet[]>();

  constructor(
    private readonly plan: ScenarioPlan,
    private readonly clientOf: (institution: string) => YuanbridgeClient | null,
    private readonly keys: Readonly<Record<string, KeyEntry>>,
    private readonly reader: YuanbridgeClient,
  ) {}

  async apply(action: TimedAction): Promise<string> {
    const { event, phase, index } = action;
    const reason = `scenario ${this.plan.name}: ${timedEventLabel(event)}`;
    const outcomes: string[] = [];
    const call = async (what: string, request: () => Promise<unknown>) => {
      outcomes.push(`${what}: ${await answer(request)}`);
    };
    switch (event.type) {
      case 'corridor_suspension': {
        const id = corridorId(event.corridor[0], event.corridor[1]);
        const client = this.clientOf(centralBankOf(this.plan, event.by))!;
        if (phase === 'start') await call(`suspend ${id}`, () => client.corridors.suspend(id, { reason }));
        else await call(`resume ${id}`, () => client.corridors.resume(id, { reason }));
        break;
      }
      case 'freeze': {
        const client = this.clientOf(homeOf(this.plan, event.institution).centralBank)!;
        if (phase === 'start')
          await call(`freeze ${event.institution}`, () =>
            client.institutions.freeze(event.institution, { reason, scope: event.scope }),
          );
        else
          await call(`unfreeze ${event.institution}`, () =>
            client.institutions.unfreeze(event.institution, { reason: `${reason}: lifted` }),
          );
        break;
      }
      case 'bank_run': {
        const home = homeOf(this.plan, event.bank);
        const client = this.clientOf(home.centralBank)!;
        const wallet = `${event.bank}.${home.currency}`;
        let held: bigint;
        try {
          held = BigInt((await client.wallets.get(wallet)).balance.amountMinor);
        } catch (error) {
          return `read ${wallet}: ${problemCode(error)}`;
        }
        // The share of what it holds now, rounded down to the minor unit (parts per million).
        const amount = (held * BigInt(Math.round(event.share * 1_000_000))) / 1_000_000n;
        if (amount === 0n) return 'nothing to redeem';
        await call(`redeem ${amount} ${home.currency} from ${event.bank}`, () =>
          client.issuance.issue({
            bank: event.bank,
            kind: 'redeem',
            amountMinor: amount.toString(),
            currency: home.currency as IssueBody['currency'],
            reference: reason.slice(0, 140),
          }),
        );
        break;
      }
      case 'provider_outage': {
        if (phase === 'start') {
          const sheets = (await this.liveSheets()).filter((s) => s.provider === event.provider);
          this.saved.set(index, sheets);
          if (sheets.length === 0) return `${event.provider} has no live rate sheet`;
          const client = this.clientOf(event.provider)!;
          for (const s of sheets)
            await call(`withdraw ${s.from}/${s.to}`, () => client.fx.withdrawRateSheet(s.from, s.to));
        } else {
          await this.republish(this.saved.get(index) ?? [], (s) => s.rate, call);
        }
        break;
      }
      case 'fx_shock': {
        if (phase === 'start') {
          const factor = new Decimal(1).plus(event.change);
          const sheets = (await this.liveSheets()).filter(
            (s) => s.from === event.currency || s.to === event.currency,
          );
          const mine = sheets.filter((s) => this.keys[s.provider] !== undefined);
          for (const s of sheets)
            if (this.keys[s.provider] === undefined)
              outcomes.push(`${s.provider} ${s.from}/${s.to}: no key for ${s.provider}, left as is`);
          this.saved.set(index, mine);
          // The currency's mid rate times (1 + change): more of it per unit of another currency.
          await this.republish(
            mine,
            (s) =>
              sheetRate(
                s.to === event.currency
                  ? new Decimal(s.rate).times(factor)
                  : new Decimal(s.rate).dividedBy(factor),
              ),
            call,
          );
          if (sheets.length === 0) return `no live rate sheet in ${event.currency}`;
        } else {
          await this.republish(this.saved.get(index) ?? [], (s) => s.rate, call);
        }
        break;
      }
    }
    return (action.cut ? 'ended with the run: ' : '') + outcomes.join('; ');
  }

  private async liveSheets(): Promise<SavedSheet[]> {
    const { rateSheets } = await this.reader.fx.rateSheets();
    return rateSheets.map((s) => ({
      provider: s.provider,
      from: s.from,
      to: s.to,
      rate: s.rate,
      spreadBps: s.spreadBps,
      maxAmountMinor: s.maxAmount.amountMinor,
      expiresAt: Date.parse(s.expiresAt),
    }));
  }

  /** Publishes each sheet again at `rate`, valid as long as it still was (a sheet past its end stays out). */
  private async republish(
    sheets: readonly SavedSheet[],
    rate: (s: SavedSheet) => string,
    call: (what: string, request: () => Promise<unknown>) => Promise<void>,
  ): Promise<void> {
    for (const s of sheets) {
      const left = Math.min(MAX_SHEET_VALIDITY_SECONDS, Math.floor((s.expiresAt - Date.now()) / 1000));
      const client = this.clientOf(s.provider);
      if (left < 1 || client === null) continue;
      const r = rate(s);
      await call(`${s.provider} publishes ${s.from}/${s.to} at ${r}`, () =>
        client.fx.publishRateSheet(s.from, s.to, {
          rate: r,
          spreadBps: s.spreadBps,
          maxAmountMinor: s.maxAmountMinor,
          validForSeconds: left,
        }),
      );
    }
  }
}

type IssueBody = Parameters<YuanbridgeClient['issuance']['issue']>[0];

interface SavedSheet {
  readonly provider: string;
  readonly from: string;
  readonly to: string;
  readonly rate: string;
  readonly spreadBps: number;
  readonly maxAmountMinor: string;
  /** ms since the epoch (wall clock: the live service's sheets expire on it). */
  readonly expiresAt: number;
}

/** A rate as the API takes it: 10 significant digits (as the engine's cross rates), at most 12 decimals, half-even. */
function sheetRate(rate: Decimal): string {
  return rate
    .toSignificantDigits(10, Decimal.ROUND_HALF_EVEN)
    .toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN)
    .toFixed();
}

async function answer(request: () => Promise<unknown>): Promise<string> {
  try {
    await request();
    return 'ok';
  } catch (error) {
    return problemCode(error);
  }
}

function problemCode(error: unknown): string {
  if (error instanceof YuanbridgeProblem) return `${error.status} ${error.code}`;
  return `error ${(error as Error)?.message ?? String(error)}`;
}

function centralBankOf(plan: ScenarioPlan, code: string): string {
  const j = plan.jurisdictions.find((x) => x.code === code);
  if (j === undefined) throw new Error(`jurisdiction ${code} is not in the scenario`);
  return j.centralBank;
}

function homeOf(plan: ScenarioPlan, institution: string) {
  const j = plan.jurisdictions.find((x) => x.banks.some((b) => b.id === institution));
  if (j === undefined) throw new Error(`${institution} is not a bank of the scenario`);
  return j;
}
