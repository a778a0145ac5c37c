import {
  accepted,
  assertNever,
  rejected,
  type Decision,
  type DomainEvent,
} from '../../platform/decider/decider.js';
import { findCurrency } from '../../ledger/domain/currency.js';
import { accountInput, planAccounts } from '../../ledger/domain/ledger-effects.js';
import type { LedgerState } from '../../ledger/domain/ledger.state.js';
import type { AccountInput } from '../../ledger/domain/model.js';
import { conflict, forbiddenRole, forbiddenScope, notFound, unprocessable } from './authorization.js';
import {
  AccountCodes,
  bankReserveAccountId,
  cbdcIssuanceAccountId,
  flagsFor,
  reserveIssuanceAccountId,
  settlementClearingAccountId,
} from './chart-of-accounts.js';
import { openBankWallet } from '../../wallets/domain/open-bank-wallet.js';
import type { Institution, InstitutionKind } from './institution.js';
import type {
  InstitutionsCommand,
  RegisterInstitution,
  RotateInstitutionKey,
  SetInstitutionRole,
} from './institutions.commands.js';
import { institutionStreamId, type InstitutionsEvent } from './institutions.events.js';
import type { InstitutionsState } from './institutions.state.js';

/** What the institutions decider reads: its own state, and the ledger (to open accounts). */
export interface InstitutionsWorld {
  readonly institutions: InstitutionsState;
  readonly ledger: LedgerState;
}

/** Reserved actor for the service's own bootstrap (never reachable from HTTP). */
export const SYSTEM_ACTOR = 'system';

export type InstitutionsReply = { readonly institution: Institution };

type Outcome = Decision<DomainEvent, InstitutionsReply | { readonly changed: boolean }>;

export function decideInstitutions(command: InstitutionsCommand, world: InstitutionsWorld): Outcome {
  switch (command.type) {
    case 'RegisterInstitution':
      return decideRegister(command, world);
    case 'RotateInstitutionKey':
      return decideRotateKey(command, world.institutions);
    case 'SetInstitutionRole':
      return decideSetRole(command, world.institutions);
    default:
      return assertNever(command);
  }
}

function decideRegister(command: RegisterInstitution, world: InstitutionsWorld): Outcome {
  const state = world.institutions;
  const actor = state.institutions.get(command.actor);
  const system = command.actor === SYSTEM_ACTOR;
  const operatorOrSystem = system || actor?.kind === 'operator';

  // Who may register whom.
  switch (command.kind) {
    case 'operator':
      if (!system) return rejected(forbiddenRole(actor, 'register an operator', []));
      if ([...state.institutions.values()].some((i) => i.kind === 'operator')) {
        return rejected(conflict('operator_exists', 'The platform already has its operator.'));
      }
      break;
    case 'central_bank':
      if (!operatorOrSystem) return rejected(forbiddenRole(actor, 'register a central bank', ['operator']));
      break;
    case 'commercial_bank':
    case 'regulator':
      if (!operatorOrSystem) {
        if (actor?.kind !== 'central_bank') {
          return rejected(
            forbiddenRole(actor, `register a ${command.kind.replace('_', ' ')}`, [
              'operator',
              'central_bank',
            ]),
          );
        }
        if (actor.jurisdiction !== command.jurisdiction) {
          return rejected(
            forbiddenScope(
              actor,
              `a central bank registers institutions of its own jurisdiction (${actor.jurisdiction}) only`,
            ),
          );
        }
      }
      break;
    default:
      return assertNever(command.kind);
  }

  if (state.institutions.has(command.id)) {
    return rejected(
      conflict('institution_exists', `An institution with id ${command.id} is already registered.`),
    );
  }
  if (state.usedKeyIds.has(command.keyId)) {
    return rejected(
      conflict('key_id_taken', `The key id ${command.keyId} is already in use; key ids are never reused.`),
    );
  }
  if (command.roles.includes('liquidity_provider') && command.kind !== 'commercial_bank') {
    return rejected(
      unprocessable('role_not_applicable', 'Only a commercial bank can be a liquidity provider.'),
    );
  }

  const events: DomainEvent[] = [];
  const accounts: AccountInput[] = [];
  const walletEvents: DomainEvent[] = [];
  let jurisdiction: string | null = command.jurisdiction;
  const stream = institutionStreamId(command.id);

  if (command.kind === 'central_bank') {
    const establishes = command.establishes;
    if (establishes === null || jurisdiction === null) {
      return rejected(
        unprocessable(
          'jurisdiction_required',
          'A central bank establishes a jurisdiction: give its code, name, currency and time zone.',
        ),
      );
    }
    if (state.jurisdictions.has(jurisdiction)) {
      return rejected(
        conflict('jurisdiction_exists', `Jurisdiction ${jurisdiction} already has its central bank.`),
      );
    }
    if (findCurrency(establishes.currency) === undefined) {
      return rejected(
        unprocessable('currency_unknown', `${establishes.currency} is not a currency the ledger knows.`),
      );
    }
    const issuer = state.issuers.get(establishes.currency);
    if (issuer !== undefined) {
      return rejected(
        conflict(
          'currency_already_issued',
          `${establishes.currency} is already issued by the central bank of ${issuer}.`,
        ),
      );
    }
    events.push({
      type: 'JurisdictionEstablished',
      streamId: stream,
      data: { jurisdiction: { code: jurisdiction, centralBankId: command.id, ...establishes } },
    });
    const currency = establishes.currency;
    accounts.push(
      accountInput(
        cbdcIssuanceAccountId(command.id, currency),
        currency,
        AccountCodes.cbdcIssuance,
        flagsFor('cbdcIssuance'),
      ),
      accountInput(
        settlementClearingAccountId(currency),
        currency,
        AccountCodes.settlementClearing,
        flagsFor('settlementClearing'),
      ),
      accountInput(
        reserveIssuanceAccountId(command.id, currency),
        currency,
        AccountCodes.reserveIssuance,
        flagsFor('reserveIssuance'),
      ),
    );
  } else if (command.kind === 'operator') {
    jurisdiction = null;
  } else {
    const home = jurisdiction === null ? undefined : state.jurisdictions.get(jurisdiction);
    if (home === undefined) {
      return rejected(
        notFound(
          'jurisdiction_unknown',
          `No central bank has established jurisdiction ${jurisdiction ?? '(none given)'}.`,
        ),
      );
    }
    if (command.kind === 'commercial_bank') {
      // Its reserve account at the central bank, and its wallet in its home currency.
      const wallet = openBankWallet(
        { id: command.id, jurisdiction: home.code },
        home.currency,
        command.actor,
        command.now,
      );
      accounts.push(
        accountInput(
          bankReserveAccountId(command.id, home.currency),
          home.currency,
          AccountCodes.bankReserves,
          flagsFor('bankReserves'),
        ),
        wallet.account,
      );
      walletEvents.push(wallet.event);
    }
  }

  const institution: Institution = {
    id: command.id,
    kind: command.kind,
    name: command.name,
    jurisdiction,
    roles: [...new Set(command.roles)].sort(),
    key: { keyId: command.keyId, publicKey: command.publicKey, activeFrom: command.now },
    registeredAt: command.now,
  };
  events.push({
    type: 'InstitutionRegistered',
    streamId: stream,
    data: { institution, registeredBy: command.actor },
  });

  if (accounts.length > 0) {
    const plan = planAccounts(world.ledger, accounts, command.now);
    if (!plan.ok) {
      // Account ids follow from the institution's id, which is new: this cannot happen unless
      // the ledger was written to directly with those ids.
      return rejected(
        conflict(
          'ledger_accounts_exist',
          `The ledger already holds accounts for ${command.id}: ${plan.failures.map((f) => f.result).join(', ')}.`,
        ),
      );
    }
    events.push(...plan.events);
  }
  events.push(...walletEvents);
  return accepted(events, { institution });
}

function decideRotateKey(command: RotateInstitutionKey, state: InstitutionsState): Outcome {
  const actor = state.institutions.get(command.actor);
  const target = state.institutions.get(command.institutionId);
  const system = command.actor === SYSTEM_ACTOR;
  if (!system && actor === undefined) return rejected(forbiddenRole(actor, 'rotate keys', []));
  if (!system && actor!.kind !== 'operator' && actor!.id !== command.institutionId) {
    return rejected(forbiddenScope(actor!, 'an institution rotates its own key only (or the operator does)'));
  }
  if (target === undefined) {
    return rejected(
      notFound('institution_unknown', `No institution ${command.institutionId} is registered.`),
    );
  }
  const keyId = command.keyId ?? nextKeyId(target);
  if (state.usedKeyIds.has(keyId)) {
    return rejected(
      conflict('key_id_taken', `The key id ${keyId} is already in use; key ids are never reused.`),
    );
  }
  const key = { keyId, publicKey: command.publicKey, activeFrom: command.now };
  return accepted(
    [
      {
        type: 'InstitutionKeyRotated',
        streamId: institutionStreamId(target.id),
        data: { institutionId: target.id, key, previousKeyId: target.key.keyId, rotatedBy: command.actor },
      },
    ],
    { institution: { ...target, key } },
  );
}

function decideSetRole(command: SetInstitutionRole, state: InstitutionsState): Outcome {
  const actor = state.institutions.get(command.actor);
  const target = state.institutions.get(command.institutionId);
  const allowed: InstitutionKind[] = ['operator', 'central_bank'];
  if (actor === undefined || !allowed.includes(actor.kind)) {
    return rejected(forbiddenRole(actor, 'grant or revoke roles', allowed));
  }
  if (target === undefined) {
    return rejected(
      notFound('institution_unknown', `No institution ${command.institutionId} is registered.`),
    );
  }
  if (actor.kind === 'central_bank' && actor.jurisdiction !== target.jurisdiction) {
    return rejected(forbiddenScope(actor, `${target.id} is not in its jurisdiction`));
  }
  if (target.kind !== 'commercial_bank') {
    return rejected(
      unprocessable('role_not_applicable', 'Only a commercial bank can be a liquidity provider.'),
    );
  }
  if (target.roles.includes(command.role) === command.granted) return accepted([], { institution: target });
  const roles = command.granted
    ? [...target.roles, command.role].sort()
    : target.roles.filter((r) => r !== command.role);
  return accepted(
    [
      {
        type: 'InstitutionRoleChanged',
        streamId: institutionStreamId(target.id),
        data: {
          institutionId: target.id,
          role: command.role,
          granted: command.granted,
          changedBy: command.actor,
        },
      },
    ],
    { institution: { ...target, roles } },
  );
}

/** `<id>-key-<n>`: one more than the number the current key id ends with. */
export function nextKeyId(institution: Institution): string {
  const match = /-key-(\d+)$/.exec(institution.key.keyId);
  return `${institution.id}-key-${match ? Number(match[1]) + 1 : 2}`;
}

/** Applies one event to the state in place (undoable maps). */
export function evolveInstitutions(state: InstitutionsState, event: InstitutionsEvent): InstitutionsState {
  switch (event.type) {
    case 'JurisdictionEstablished': {
      const j = event.data.jurisdiction;
      state.jurisdictions.set(j.code, j);
      state.issuers.set(j.currency, j.code);
      return state;
    }
    case 'InstitutionRegistered': {
      const i = event.data.institution;
      state.institutions.set(i.id, i);
      state.keys.set(i.key.keyId, i.id);
      state.usedKeyIds.set(i.key.keyId, i.id);
      return state;
    }
    case 'InstitutionKeyRotated': {
      const i = state.institutions.get(event.data.institutionId)!;
      state.keys.delete(i.key.keyId);
      state.keys.set(event.data.key.keyId, i.id);
      state.usedKeyIds.set(event.data.key.keyId, i.id);
      state.institutions.set(i.id, { ...i, key: event.data.key });
      return state;
    }
    case 'InstitutionRoleChanged': {
      const i = state.institutions.get(event.data.institutionId)!;
      const roles = event.data.granted
        ? [...new Set([...i.roles, event.data.role])].sort()
        : i.roles.filter((r) => r !== event.data.role);
      state.institutions.set(i.id, { ...i, roles });
      return state;
    }
    default:
      return assertNever(event);
  }
}
