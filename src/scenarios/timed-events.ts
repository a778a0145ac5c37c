import { Decimal } from 'decimal.js';
import { corridorId } from '../corridors/domain/corridor.js';
import { bankWalletAccountId } from '../institutions/domain/chart-of-accounts.js';
import { creditBalance } from '../ledger/domain/ledger-effects.js';
import { jurisdiction, rateSheetCommands } from './network-setup.js';
import type { ScenarioPlan, TimedEventPlan } from './scenario.js';
import type { SimulationWorld, WorldCommand } from './simulation-world.js';

/** What a timed event needs from the engine: state, the mid rates it may move, and a way to act. */
export interface TimedEventContext {
  readonly plan: ScenarioPlan;
  readonly world: SimulationWorld;
  readonly mid: Map<string, Decimal>;
  readonly providersDown: Set<string>;
  bumpMidEpoch(): void;
  /** A fresh id from the replication's id stream (so it replays with the seed). */
  newId(): string;
  /** Decides and applies the command; the refusal's code, or null when it was accepted. */
  run(command: WorldCommand): string | null;
}

export interface TimedEventRecord {
  readonly atSeconds: number;
  readonly event: string;
  readonly phase: 'start' | 'end';
  readonly outcome: string;
}

/**
 * Each timed event as the participants would cause it, through commands to the same deciders
 * (nothing is patched into state): an outage is a provider withdrawing its sheets, a shock is
 * every provider republishing on a moved mid rate, a suspension is a central bank suspending its
 * side, a run is the central bank redeeming a share of the bank's CBDC as depositors withdraw,
 * a freeze is the central bank freezing the bank. `end` undoes what can be undone.
 */
export function applyTimedEvent(
  event: TimedEventPlan,
  phase: 'start' | 'end',
  ctx: TimedEventContext,
): string {
  const outcomes: string[] = [];
  const run = (command: WorldCommand) => {
    const refused = ctx.run(command);
    outcomes.push(refused === null ? `${command.type}: ok` : `${command.type}: ${refused}`);
  };
  switch (event.type) {
    case 'provider_outage':
      if (phase === 'start') {
        ctx.providersDown.add(event.provider);
        for (const sheet of [...ctx.world.fx.sheets.values()].filter((s) => s.provider === event.provider))
          run({ type: 'WithdrawRateSheet', actor: event.provider, from: sheet.from, to: sheet.to, now: 0n });
      } else {
        ctx.providersDown.delete(event.provider);
        for (const command of rateSheetCommands(ctx.plan, ctx.mid, (id) => id === event.provider))
          run(command);
      }
      break;
    case 'fx_shock': {
      const current = ctx.mid.get(event.currency)!;
      const factor = new Decimal(1).plus(event.change);
      ctx.mid.set(event.currency, phase === 'start' ? current.times(factor) : current.dividedBy(factor));
      ctx.bumpMidEpoch();
      for (const command of rateSheetCommands(ctx.plan, ctx.mid, (id) => !ctx.providersDown.has(id))) {
        if (command.from === event.currency || command.to === event.currency) run(command);
      }
      break;
    }
    case 'corridor_suspension':
      run({
        type: phase === 'start' ? 'SuspendCorridor' : 'ResumeCorridor',
        actor: jurisdiction(ctx.plan, event.by).centralBank,
        corridorId: corridorId(event.corridor[0], event.corridor[1]),
        reason: `scenario ${ctx.plan.name}: corridor suspension`,
        now: 0n,
      });
      break;
    case 'bank_run': {
      const home = ctx.plan.jurisdictions.find((j) => j.banks.some((b) => b.id === event.bank))!;
      const held = creditBalance(ctx.world.ledger, bankWalletAccountId(event.bank, home.currency));
      // The share of what it holds now, rounded down to the minor unit (parts per million).
      const amount = (held * BigInt(Math.round(event.share * 1_000_000))) / 1_000_000n;
      if (amount > 0n)
        run({
          type: 'IssueDirectly',
          actor: home.centralBank,
          requestId: ctx.newId(),
          bankId: event.bank,
          kind: 'redeem',
          currency: home.currency,
          amount,
          reference: `scenario ${ctx.plan.name}: run on ${event.bank}`,
          signature: null,
          now: 0n,
        });
      else outcomes.push('nothing to redeem');
      break;
    }
    case 'freeze': {
      const home = ctx.plan.jurisdictions.find((j) => j.banks.some((b) => b.id === event.institution))!;
      run(
        phase === 'start'
          ? {
              type: 'FreezeInstitution',
              actor: home.centralBank,
              institutionId: event.institution,
              scope: event.scope,
              reason: `scenario ${ctx.plan.name}: freeze`,
              now: 0n,
            }
          : {
              type: 'UnfreezeInstitution',
              actor: home.centralBank,
              institutionId: event.institution,
              reason: `scenario ${ctx.plan.name}: freeze lifted`,
              now: 0n,
            },
      );
      break;
    }
  }
  return outcomes.join('; ');
}

export function timedEventLabel(event: TimedEventPlan): string {
  switch (event.type) {
    case 'provider_outage':
      return `provider outage ${event.provider}`;
    case 'fx_shock':
      return `FX shock ${event.currency} ${event.change > 0 ? '+' : ''}${event.change * 100}%`;
    case 'corridor_suspension':
      return `corridor ${corridorId(event.corridor[0], event.corridor[1])} suspended by ${event.by}`;
    case 'bank_run':
      return `run on ${event.bank} (${event.share * 100}%)`;
    case 'freeze':
      return `freeze ${event.institution} (${event.scope})`;
  }
}
