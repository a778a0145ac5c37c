import type { Decision, DomainEvent } from '../platform/decider/decider.js';
import { availableBalance, TransferFlags } from '../ledger/domain/ledger-effects.js';
import type { TransferInput } from '../ledger/domain/model.js';
import { findRoute } from '../fx/domain/routing.js';
import { corridorFee, screenCorridor } from '../corridors/domain/corridors.decider.js';
import { checkCanReceive, checkCanSend } from '../wallets/domain/wallet-rules.js';
import type { PaymentInstruction } from '../payments/domain/payment.js';
import { grossTransfers, planPayment, type PlannedPayment } from '../payments/domain/settlement.js';
import { corridorOf } from './metrics.js';
import type { SimulationWorld, WorldCommand } from './simulation-world.js';

const NS_PER_SECOND = 1_000_000_000n;

interface InFlight {
  readonly instruction: PaymentInstruction;
  readonly planned: PlannedPayment;
  /** Payer → provider and the fee: what the payer's bank sends first. */
  readonly payerLeg: readonly TransferInput[];
  /** Provider → (provider →) payee: what the correspondent pays out later, on its own. */
  readonly payeeLeg: readonly TransferInput[];
  /** Null until the payer's leg settled; then when the payee's leg is first attempted. */
  payeeLegDueAt: bigint | null;
}

/**
 * Settlement without PvP, as in correspondent banking: the policy a researcher switches PvP off
 * with. The service has no such mode (its payments are one linked chain, ADR 0010), so this is
 * the engine's own model, built from the same parts the payments decider uses — the corridor's
 * screening and fee, the FX route, the wallet rules, `planPayment`'s legs — but booked as two
 * independent ledger decisions: the payer's leg when the payer has the funds, the payee's leg at
 * least `lag` later, when the provider has the liquidity and is neither down nor frozen. Between
 * the two, the payer has paid and its payee has not been paid: Herstatt exposure. A payment whose
 * payee leg never settles before it expires leaves the payer's money with the provider: a
 * realised Herstatt loss.
 *
 * Its lifecycle is written to the log as Correspondent* events next to the ledger's own, so the
 * metrics read it from events like every other measure.
 */
export class CorrespondentSettlement {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly world: SimulationWorld,
    private readonly execute: (command: WorldCommand) => Decision<DomainEvent, unknown>,
    private readonly record: (event: DomainEvent) => void,
    private readonly operator: string,
    private readonly lagSeconds: number,
    private readonly providerDown: (provider: string) => boolean,
  ) {}

  get waiting(): number {
    return this.inFlight.size;
  }

  /** Receipt times of what is waiting (for the queue's delay). */
  *receivedTimes(): Iterable<bigint> {
    for (const f of this.inFlight.values()) yield f.instruction.receivedAt;
  }

  submit(instruction: PaymentInstruction, now: bigint): void {
    const { payer, payee } = instruction;
    const stream = `correspondent-payment-${instruction.id}`;
    const note = (type: string, data: object) =>
      this.record({ type, streamId: stream, data: { paymentId: instruction.id, ...data } });
    note('CorrespondentPaymentReceived', { corridor: corridorOf(payer.jurisdiction, payee.jurisdiction) });
    const reject = (code: string) => note('CorrespondentPaymentRejected', { code });

    const gate = screenCorridor(this.world.corridors, {
      from: payer.jurisdiction,
      to: payee.jurisdiction,
      amountMinor: 0n,
      now,
    });
    if (gate !== null) return reject(gate.code);
    // Priced whatever the providers hold: in this model the payee leg waits for liquidity later.
    const route = findRoute(this.world, {
      from: payer.currency,
      to: payee.currency,
      fixed: instruction.fixed,
      amount: instruction.amountMinor,
      now,
      requireLiquidity: false,
    });
    if (!route.ok) return reject('no_route');
    const fee = corridorFee(
      this.world.corridors,
      payer.jurisdiction,
      payee.jurisdiction,
      route.route.sellMinor,
    );
    const corridor = screenCorridor(this.world.corridors, {
      from: payer.jurisdiction,
      to: payee.jurisdiction,
      amountMinor: route.route.sellMinor,
      now,
    });
    if (corridor !== null) return reject(corridor.code);
    const payerWallet = this.world.wallets.wallets.get(payer.wallet ?? `${payer.bank}.${payer.currency}`);
    const payeeWallet = this.world.wallets.wallets.get(payee.wallet ?? `${payee.bank}.${payee.currency}`);
    if (payerWallet === undefined) return reject('payer_wallet_missing');
    if (payeeWallet === undefined) return reject('payee_wallet_missing');
    const send = checkCanSend(this.world, payerWallet, route.route.sellMinor + fee, now);
    if (!send.ok && send.rejection.code !== 'insufficient_funds') return reject(send.rejection.code);
    const receive = checkCanReceive(this.world, payeeWallet, route.route.buyMinor);
    if (!receive.ok) return reject(receive.rejection.code);

    const planned = planPayment(instruction, route.route, fee, this.operator);
    const transfers = grossTransfers(planned);
    const legOf = (kinds: readonly string[]) =>
      transfers.filter((_, i) => kinds.includes(planned.legs[i]!.kind));
    const flight: InFlight = {
      instruction,
      planned,
      payerLeg: legOf(['payer_to_provider', 'fee']),
      payeeLeg: legOf(['provider_to_provider', 'provider_to_payee']),
      payeeLegDueAt: null,
    };
    this.inFlight.set(instruction.id, flight);
    if (!this.tryPayerLeg(flight, now)) note('CorrespondentPaymentQueued', { reason: 'awaiting_funds' });
  }

  /** A settlement cycle of the correspondent model: expire, then move every leg that now can. */
  cycle(now: bigint): void {
    for (const flight of [...this.inFlight.values()]) {
      const id = flight.instruction.id;
      if (flight.instruction.expiresAt <= now) {
        this.inFlight.delete(id);
        this.record({
          type: 'CorrespondentPaymentExpired',
          streamId: `correspondent-payment-${id}`,
          data: { paymentId: id, payerLegSettled: flight.payeeLegDueAt !== null },
        });
        continue;
      }
      if (flight.payeeLegDueAt === null) this.tryPayerLeg(flight, now);
      else if (flight.payeeLegDueAt <= now) this.tryPayeeLeg(flight, now);
    }
  }

  private tryPayerLeg(flight: InFlight, now: bigint): boolean {
    if (!this.book(flight.payerLeg)) return false;
    const first = flight.planned.legs[0]!;
    flight.payeeLegDueAt = now + BigInt(Math.round(this.lagSeconds)) * NS_PER_SECOND;
    this.record({
      type: 'CorrespondentPayerLegSettled',
      streamId: `correspondent-payment-${flight.instruction.id}`,
      data: { paymentId: flight.instruction.id, currency: first.currency, amountMinor: first.amountMinor },
    });
    return true;
  }

  private tryPayeeLeg(flight: InFlight, now: bigint): void {
    const providers = flight.planned.route.legs.map((l) => l.provider);
    if (providers.some((p) => this.providerDown(p))) return;
    for (const leg of flight.planned.legs) {
      if (leg.kind === 'payer_to_provider' || leg.kind === 'fee') continue;
      const wallet = this.world.wallets.wallets.get(leg.from);
      if (wallet !== undefined && !checkCanSend(this.world, wallet, leg.amountMinor, now).ok) return;
    }
    if (!this.book(flight.payeeLeg)) return;
    const { planned, instruction } = flight;
    this.inFlight.delete(instruction.id);
    this.record({
      type: 'CorrespondentPaymentSettled',
      streamId: `correspondent-payment-${instruction.id}`,
      data: {
        paymentId: instruction.id,
        settledBy: 'correspondent',
        sell: { currency: planned.route.from, amountMinor: planned.route.sellMinor },
        buy: { currency: planned.route.to, amountMinor: planned.route.buyMinor },
        fee: { currency: instruction.payer.currency, amountMinor: planned.feeMinor },
        legs: [],
      },
    });
  }

  /**
   * One ledger decision for the leg's transfers, linked. Checked against balances first: a lone
   * transfer the ledger refused would stay failed under its id, and a leg is retried later.
   */
  private book(transfers: readonly TransferInput[]): boolean {
    const need = new Map<string, bigint>();
    for (const t of transfers) need.set(t.debitAccountId!, (need.get(t.debitAccountId!) ?? 0n) + t.amount!);
    for (const [account, amount] of need) {
      const held = this.world.ledger.accounts.get(account);
      if (held === undefined || availableBalance(this.world.ledger, account) < amount) return false;
    }
    const decision = this.execute({
      type: 'CreateTransfers',
      strict: false,
      transfers: transfers.map((t, i) => ({
        ...t,
        flags: i < transfers.length - 1 ? t.flags | TransferFlags.linked : t.flags & ~TransferFlags.linked,
      })),
      now: 0n,
    });
    if (decision.kind === 'rejected') return false;
    const results = (decision.reply as { results: readonly string[] }).results;
    return results.every((r) => r === 'ok');
  }
}
