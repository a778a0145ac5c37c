import {
  accepted,
  assertNever,
  rejected,
  type Decision,
  type DomainEvent,
} from '../../platform/decider/decider.js';
import { parseAmount } from '../../ledger/domain/amount.js';
import { AMOUNT_MESSAGES } from '../../ledger/commands/create-transfers/create-transfers.request.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import { nameBasedId, type Id } from '../../ledger/domain/id.js';
import { planAccounts, planLinkedTransfers, transferInput } from '../../ledger/domain/ledger-effects.js';
import {
  conflict,
  forbiddenRole,
  forbiddenScope,
  notFound,
  unprocessable,
} from '../../institutions/domain/authorization.js';
import { TransferCodes } from '../../institutions/domain/chart-of-accounts.js';
import type { Institution } from '../../institutions/domain/institution.js';
import type { Freeze } from './freeze.js';
import { openBankWallet } from './open-bank-wallet.js';
import { openCustomerWallet } from './open-customer-wallet.js';
import { tierLimitsKey, tierLimitsOf, type TierLimits } from './tier-limits.js';
import { bankWalletId, type Wallet, type WalletTier } from './wallet.js';
import { oversees, walletOutOfReach } from './wallet-access.js';
import { checkCanReceive, checkCanSend, describeAmount } from './wallet-rules.js';
import { yearOf } from './local-date.js';
import type {
  FreezeInstitution,
  FreezeWallet,
  OpenWallet,
  SetWalletTierLimits,
  TransferBetweenWallets,
  UnfreezeInstitution,
  UnfreezeWallet,
  WalletsCommand,
} from './wallets.commands.js';
import {
  institutionFreezeStreamId,
  walletStreamId,
  walletTiersStreamId,
  type DomesticTransferSettled,
  type WalletsEvent,
} from './wallets.events.js';
import type { WalletsState } from './wallets.state.js';
import type { WalletsWorld } from './wallets.world.js';

export type WalletsReply =
  | { readonly wallet: Wallet }
  | { readonly currency: string; readonly tier: WalletTier; readonly limits: TierLimits }
  | { readonly transfer: DomesticTransferSettled['data'] }
  | { readonly walletId: string; readonly freeze: Freeze | null }
  | { readonly institutionId: string; readonly freeze: Freeze | null };

type Outcome = Decision<DomainEvent, WalletsReply>;

export function decideWallets(command: WalletsCommand, world: WalletsWorld): Outcome {
  switch (command.type) {
    case 'OpenWallet':
      return decideOpen(command, world);
    case 'SetWalletTierLimits':
      return decideSetTierLimits(command, world);
    case 'TransferBetweenWallets':
      return decideTransfer(command, world);
    case 'FreezeWallet':
    case 'UnfreezeWallet':
      return decideWalletFreeze(command, world);
    case 'FreezeInstitution':
    case 'UnfreezeInstitution':
      return decideInstitutionFreeze(command, world);
    default:
      return assertNever(command);
  }
}

function decideOpen(command: OpenWallet, world: WalletsWorld): Outcome {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'commercial_bank') {
    return rejected(forbiddenRole(actor, 'open wallets', ['commercial_bank']));
  }
  const home = world.institutions.jurisdictions.get(actor.jurisdiction!)!;
  const bank = { id: actor.id, jurisdiction: home.code };
  let opening: ReturnType<typeof openBankWallet>;
  if (command.wallet.kind === 'bank') {
    const currency = command.wallet.currency;
    // A bank may hold any CBDC on the platform, but only one its central bank actually issues.
    if (!world.institutions.issuers.has(currency)) {
      return rejected(
        unprocessable(
          'currency_not_issued',
          `No registered central bank issues ${currency}; a bank can only hold a CBDC that is issued on the platform.`,
        ),
      );
    }
    const id = bankWalletId(actor.id, currency);
    if (world.wallets.wallets.has(id)) {
      return rejected(conflict('wallet_exists', `${actor.id} already holds a ${currency} wallet (${id}).`));
    }
    opening = openBankWallet(bank, currency, actor.id, command.now);
  } else {
    const { id } = command.wallet;
    if (world.wallets.wallets.has(id)) {
      return rejected(conflict('wallet_exists', `A wallet with id ${id} already exists.`));
    }
    opening = openCustomerWallet(bank, home.currency, command.wallet, actor.id, command.now);
  }
  const plan = planAccounts(world.ledger, [opening.account], command.now);
  if (!plan.ok) {
    return rejected(
      conflict(
        'wallet_exists',
        `The ledger already holds the account of wallet ${opening.event.data.wallet.id} (${plan.failures[0]!.result}).`,
      ),
    );
  }
  return accepted([...plan.events, opening.event], { wallet: opening.event.data.wallet });
}

function decideSetTierLimits(command: SetWalletTierLimits, world: WalletsWorld): Outcome {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'central_bank') {
    return rejected(forbiddenRole(actor, 'set wallet tier limits', ['central_bank']));
  }
  const issuer = world.institutions.issuers.get(command.currency);
  if (issuer === undefined) {
    return rejected(
      unprocessable('currency_not_issued', `No registered central bank issues ${command.currency}.`),
    );
  }
  if (issuer !== actor.jurisdiction) {
    return rejected(
      forbiddenScope(
        actor,
        `wallet limits in ${command.currency} are set by the central bank that issues it (jurisdiction ${issuer})`,
      ),
    );
  }
  const reply = { currency: command.currency, tier: command.tier, limits: command.limits };
  const current = tierLimitsOf(world.wallets.tierLimits, command.currency, command.tier);
  const unchanged =
    world.wallets.tierLimits.has(tierLimitsKey(command.currency, command.tier)) &&
    (['singlePayment', 'daily', 'balance', 'annual'] as const).every((k) => current[k] === command.limits[k]);
  if (unchanged) return accepted([], reply);
  return accepted(
    [
      {
        type: 'WalletTierLimitsSet',
        streamId: walletTiersStreamId(command.currency),
        data: { ...reply, setBy: actor.id },
      },
    ],
    reply,
  );
}

/** The ledger leg of a domestic transfer: its id follows from the transfer's. */
export function domesticTransferLegId(transferId: Id): Id {
  return nameBasedId(`domestic-transfer:${transferId}:leg`);
}

function decideTransfer(command: TransferBetweenWallets, world: WalletsWorld): Outcome {
  const actor = world.institutions.institutions.get(command.actor);
  if (actor?.kind !== 'commercial_bank') {
    return rejected(forbiddenRole(actor, 'move money between wallets', ['commercial_bank']));
  }
  // Only the bank that holds or operates a wallet moves money out of it.
  const from = world.wallets.wallets.get(command.from);
  if (from === undefined || from.bankId !== actor.id) return rejected(walletOutOfReach(actor, command.from));
  if (command.to === command.from) {
    return rejected(unprocessable('same_wallet', 'A wallet cannot pay itself: from and to are the same.'));
  }
  const to = world.wallets.wallets.get(command.to);
  if (to === undefined) {
    return rejected(unprocessable('recipient_unknown', `There is no wallet ${command.to} to pay.`));
  }
  if (to.currency !== from.currency) {
    return rejected(
      unprocessable(
        'currency_mismatch',
        `Wallet ${from.id} holds ${from.currency} and wallet ${to.id} holds ${to.currency}: a domestic transfer stays in one currency.`,
      ),
    );
  }
  const currency = findCurrency(from.currency)!;
  const parsed = parseAmount(command.amount.text, currency, command.amount.minor);
  if (!parsed.ok) {
    const field = command.amount.minor ? '/amountMinor' : '/amount';
    return rejected({
      code: 'invalid_request',
      status: 400,
      title: 'The request is not valid',
      detail: `The amount is not valid for ${currency.code} (${currency.exponent} decimals); nothing was written.`,
      errors: [{ field, code: parsed.error, detail: `${field} ${AMOUNT_MESSAGES[parsed.error]}` }],
    });
  }
  const amount = parsed.value;
  const send = checkCanSend(world, from, amount, command.now);
  if (!send.ok) return rejected(send.rejection);
  const receive = checkCanReceive(world, to, amount);
  if (!receive.ok) return rejected(receive.rejection);

  const ledgerTransferId = domesticTransferLegId(command.transferId);
  const plan = planLinkedTransfers(
    world.ledger,
    [
      transferInput({
        id: ledgerTransferId,
        debitAccountId: from.accountId,
        creditAccountId: to.accountId,
        amount,
        currency: from.currency,
        code: TransferCodes.domesticTransfer,
        userData128: command.transferId,
      }),
    ],
    command.now,
  );
  if (!plan.ok) {
    const result = plan.failures[0]!.result;
    // checkCanSend saw the same balance; kept for safety should the two ever disagree.
    if (result === 'exceeds_credits') {
      return rejected(
        unprocessable(
          'insufficient_funds',
          `Wallet ${from.id} cannot cover ${describeAmount(amount, from.currency)}.`,
        ),
      );
    }
    return rejected(
      conflict(
        'transfer_exists',
        `Transfer ${command.transferId} cannot be recorded again (ledger: ${result}).`,
      ),
    );
  }
  const data: DomesticTransferSettled['data'] = {
    transferId: command.transferId,
    ledgerTransferId,
    from: from.id,
    to: to.id,
    currency: from.currency,
    amount,
    reference: command.reference,
    senderLocalDate: send.localDate,
    settledBy: actor.id,
    settledAt: command.now,
  };
  return accepted(
    [...plan.events, { type: 'DomesticTransferSettled', streamId: walletStreamId(from.id), data }],
    { transfer: data },
  );
}

/** Who may freeze: the central bank or a regulator of the jurisdiction (the one write a regulator may make). */
function freezeAuthority(actor: Institution | undefined): actor is Institution {
  return actor?.kind === 'central_bank' || actor?.kind === 'regulator';
}

function decideWalletFreeze(command: FreezeWallet | UnfreezeWallet, world: WalletsWorld): Outcome {
  const actor = world.institutions.institutions.get(command.actor);
  const verb = command.type === 'FreezeWallet' ? 'freeze' : 'unfreeze';
  if (!freezeAuthority(actor)) {
    return rejected(forbiddenRole(actor, `${verb} wallets`, ['central_bank', 'regulator']));
  }
  const wallet = world.wallets.wallets.get(command.walletId);
  // Another jurisdiction's wallet and a wallet that does not exist look alike to the caller.
  if (wallet === undefined || !oversees(actor, wallet.jurisdiction)) {
    return rejected(walletOutOfReach(actor, command.walletId));
  }
  const stream = walletStreamId(wallet.id);
  const current = world.wallets.freezes.get(wallet.id) ?? null;
  if (command.type === 'UnfreezeWallet') {
    if (current === null) {
      return rejected(conflict('wallet_not_frozen', `Wallet ${wallet.id} is not frozen (its own freeze).`));
    }
    return accepted(
      [
        {
          type: 'WalletUnfrozen',
          streamId: stream,
          data: { walletId: wallet.id, reason: command.reason, unfrozenBy: actor.id },
        },
      ],
      { walletId: wallet.id, freeze: null },
    );
  }
  if (current !== null && current.scope === command.scope && current.reason === command.reason) {
    return accepted([], { walletId: wallet.id, freeze: current });
  }
  const freeze: Freeze = {
    scope: command.scope,
    reason: command.reason,
    frozenBy: actor.id,
    frozenAt: command.now,
  };
  return accepted([{ type: 'WalletFrozen', streamId: stream, data: { walletId: wallet.id, ...freeze } }], {
    walletId: wallet.id,
    freeze,
  });
}

function decideInstitutionFreeze(
  command: FreezeInstitution | UnfreezeInstitution,
  world: WalletsWorld,
): Outcome {
  const actor = world.institutions.institutions.get(command.actor);
  const verb = command.type === 'FreezeInstitution' ? 'freeze' : 'unfreeze';
  if (!freezeAuthority(actor)) {
    return rejected(forbiddenRole(actor, `${verb} institutions`, ['central_bank', 'regulator']));
  }
  // The registry is public (the directory), so naming an unknown institution leaks nothing.
  const target = world.institutions.institutions.get(command.institutionId);
  if (target === undefined) {
    return rejected(
      notFound('institution_unknown', `No institution ${command.institutionId} is registered.`),
    );
  }
  if (target.kind !== 'commercial_bank') {
    return rejected(
      unprocessable(
        'not_a_commercial_bank',
        `${target.id} is a ${target.kind.replace('_', ' ')}; only commercial banks hold wallets to freeze.`,
      ),
    );
  }
  if (!oversees(actor, target.jurisdiction!)) {
    return rejected(
      forbiddenScope(actor, `${target.id} is in jurisdiction ${target.jurisdiction}, not its own`),
    );
  }
  const stream = institutionFreezeStreamId(target.id);
  const current = world.wallets.institutionFreezes.get(target.id) ?? null;
  if (command.type === 'UnfreezeInstitution') {
    if (current === null) {
      return rejected(conflict('institution_not_frozen', `${target.id} is not frozen.`));
    }
    return accepted(
      [
        {
          type: 'InstitutionUnfrozen',
          streamId: stream,
          data: { institutionId: target.id, reason: command.reason, unfrozenBy: actor.id },
        },
      ],
      { institutionId: target.id, freeze: null },
    );
  }
  if (current !== null && current.scope === command.scope && current.reason === command.reason) {
    return accepted([], { institutionId: target.id, freeze: current });
  }
  const freeze: Freeze = {
    scope: command.scope,
    reason: command.reason,
    frozenBy: actor.id,
    frozenAt: command.now,
  };
  return accepted(
    [{ type: 'InstitutionFrozen', streamId: stream, data: { institutionId: target.id, ...freeze } }],
    { institutionId: target.id, freeze },
  );
}

/** Applies one wallets event to the state in place (undoable maps). */
export function evolveWallets(state: WalletsState, event: WalletsEvent): WalletsState {
  switch (event.type) {
    case 'WalletOpened':
      state.wallets.set(event.data.wallet.id, event.data.wallet);
      return state;
    case 'WalletTierLimitsSet':
      state.tierLimits.set(tierLimitsKey(event.data.currency, event.data.tier), event.data.limits);
      return state;
    case 'DomesticTransferSettled': {
      const { from, amount, senderLocalDate } = event.data;
      if (senderLocalDate !== null) recordSpending(state, from, amount, senderLocalDate);
      return state;
    }
    case 'WalletSpendingRecorded':
      recordSpending(state, event.data.walletId, event.data.amount, event.data.localDate);
      return state;
    case 'WalletFrozen': {
      const { walletId, ...freeze } = event.data;
      state.freezes.set(walletId, freeze);
      return state;
    }
    case 'WalletUnfrozen':
      state.freezes.delete(event.data.walletId);
      return state;
    case 'InstitutionFrozen': {
      const { institutionId, ...freeze } = event.data;
      state.institutionFreezes.set(institutionId, freeze);
      return state;
    }
    case 'InstitutionUnfrozen':
      state.institutionFreezes.delete(event.data.institutionId);
      return state;
    default:
      return assertNever(event);
  }
}

/** Adds a payment to the sender's windows, starting a new day or year when the local date moved on. */
function recordSpending(state: WalletsState, walletId: string, amount: bigint, localDate: string): void {
  const previous = state.spending.get(walletId);
  const sameDay = previous?.localDate === localDate;
  const sameYear = previous !== undefined && yearOf(previous.localDate) === yearOf(localDate);
  state.spending.set(walletId, {
    localDate,
    today: (sameDay ? previous.today : 0n) + amount,
    thisYear: (sameYear ? previous.thisYear : 0n) + amount,
  });
}
