import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import {
  bankReserveAccountId,
  bankWalletAccountId,
  cbdcIssuanceAccountId,
  reserveIssuanceAccountId,
} from '../../src/institutions/domain/chart-of-accounts.js';
import type {
  RotateInstitutionKey,
  SetInstitutionRole,
} from '../../src/institutions/domain/institutions.commands.js';
import { spec } from '../support/decider-spec.js';
import { NOW, publicKeyOf, register, smallNetwork } from '../support/institution-fixtures.js';
import { history, worldDecider } from '../support/world.js';

const network = () => history(smallNetwork());
const types = (events: readonly DomainEvent[]) => events.map((e) => e.type);

function rotate(actor: string, institutionId: string, keyId: string | null = null): RotateInstitutionKey {
  return {
    type: 'RotateInstitutionKey',
    actor,
    institutionId,
    keyId,
    publicKey: publicKeyOf(`${institutionId}-next`),
    now: NOW + 1n,
  };
}

function setRole(actor: string, institutionId: string, granted: boolean): SetInstitutionRole {
  return {
    type: 'SetInstitutionRole',
    actor,
    institutionId,
    role: 'liquidity_provider',
    granted,
    now: NOW + 1n,
  };
}

describe('institutions: registering', () => {
  it('the system registers the operator once; nobody else can', () => {
    const operator = history([register('system', 'OPERATOR', 'operator', null)]);
    assert.deepEqual(types(operator), ['InstitutionRegistered']);
    spec(worldDecider)
      .given(operator)
      .when(register('system', 'OP2', 'operator', null))
      .thenRejects('operator_exists');
    spec(worldDecider)
      .given(operator)
      .when(register('OPERATOR', 'OP2', 'operator', null))
      .thenRejects('forbidden_role');
  });

  it('a central bank establishes its jurisdiction and gets its issuance accounts', () => {
    const then = spec(worldDecider)
      .given(history([register('system', 'OPERATOR', 'operator', null)]))
      .when(register('OPERATOR', 'PBOC', 'central_bank', 'CN'));
    assert.equal(then.decision.kind, 'accepted');
    const world = then.stateAfter();
    assert.deepEqual(world.institutions.jurisdictions.get('CN'), {
      code: 'CN',
      centralBankId: 'PBOC',
      name: 'China (mainland)',
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
    });
    assert.equal(world.institutions.issuers.get('CNY'), 'CN');
    assert.ok(world.ledger.accounts.has(cbdcIssuanceAccountId('PBOC', 'CNY')));
    assert.ok(world.ledger.accounts.has(reserveIssuanceAccountId('PBOC', 'CNY')));
  });

  it('a commercial bank gets a reserve account and its home-currency wallet', () => {
    const world = spec(worldDecider)
      .given(network())
      .when(register('PBOC', 'BANKCN3', 'commercial_bank', 'CN'))
      .stateAfter();
    const reserves = world.ledger.accounts.get(bankReserveAccountId('BANKCN3', 'CNY'));
    const wallet = world.ledger.accounts.get(bankWalletAccountId('BANKCN3', 'CNY'));
    assert.ok(reserves && wallet);
    assert.equal(wallet.currency, 'CNY');
    assert.equal(world.wallets.wallets.get('BANKCN3.CNY')?.accountId, wallet.id);
    // A regulator holds no money.
    const regulator = spec(worldDecider)
      .given(network())
      .when(register('PBOC', 'REG-CN2', 'regulator', 'CN'));
    assert.deepEqual(types(regulator.decision.kind === 'accepted' ? regulator.decision.events : []), [
      'InstitutionRegistered',
    ]);
  });

  it('a central bank registers banks of its own jurisdiction only; banks and regulators register nobody', () => {
    const given = spec(worldDecider).given(network());
    given.when(register('HKMA', 'BANKCN3', 'commercial_bank', 'CN')).thenRejects('forbidden_scope');
    given.when(register('BANKCN1', 'BANKCN3', 'commercial_bank', 'CN')).thenRejects('forbidden_role');
    given.when(register('REG-CN', 'BANKCN3', 'commercial_bank', 'CN')).thenRejects('forbidden_role');
    given.when(register('PBOC', 'JPBANK', 'central_bank', 'JP')).thenRejects('forbidden_role');
    assert.equal(
      given.when(register('OPERATOR', 'BANKCN3', 'commercial_bank', 'CN')).decision.kind,
      'accepted',
    );
  });

  it('refuses duplicates: id, key id, jurisdiction, currency', () => {
    const given = spec(worldDecider).given(network());
    given.when(register('PBOC', 'BANKCN1', 'commercial_bank', 'CN')).thenRejects('institution_exists');
    given
      .when({ ...register('PBOC', 'BANKCN3', 'commercial_bank', 'CN'), keyId: 'BANKCN1-key-1' })
      .thenRejects('key_id_taken');
    given.when(register('OPERATOR', 'PBOC2', 'central_bank', 'CN')).thenRejects('jurisdiction_exists');
    const jpWithCny = register('OPERATOR', 'BOJ', 'central_bank', 'JP');
    given
      .when({ ...jpWithCny, establishes: { ...jpWithCny.establishes!, currency: 'CNY' } })
      .thenRejects('currency_already_issued');
    given
      .when({ ...jpWithCny, establishes: { ...jpWithCny.establishes!, currency: 'XXX' } })
      .thenRejects('currency_unknown');
  });

  it('needs a jurisdiction that exists; the liquidity-provider role is for commercial banks', () => {
    const given = spec(worldDecider).given(network());
    given.when(register('OPERATOR', 'BANKJP1', 'commercial_bank', 'JP')).thenRejects('jurisdiction_unknown');
    given
      .when(register('PBOC', 'REG-CN2', 'regulator', 'CN', { roles: ['liquidity_provider'] }))
      .thenRejects('role_not_applicable');
  });

  it('a 0-decimal currency jurisdiction is as good as any (JPY)', () => {
    const world = spec(worldDecider)
      .given(network())
      .when(register('OPERATOR', 'BOJ', 'central_bank', 'JP'))
      .stateAfter();
    assert.equal(world.ledger.accounts.get(cbdcIssuanceAccountId('BOJ', 'JPY'))?.currency, 'JPY');
  });
});

describe('institutions: keys', () => {
  it('an institution rotates its own key; the old key id no longer resolves, and is never reused', () => {
    const then = spec(worldDecider).given(network()).when(rotate('BANKCN1', 'BANKCN1'));
    const world = then.stateAfter();
    assert.equal(world.institutions.byKeyId('BANKCN1-key-1'), undefined);
    assert.equal(world.institutions.byKeyId('BANKCN1-key-2')?.id, 'BANKCN1');
    assert.equal(world.institutions.institutions.get('BANKCN1')?.key.publicKey, publicKeyOf('BANKCN1-next'));
    const events = then.decision.kind === 'accepted' ? then.decision.events : [];
    spec(worldDecider)
      .given([...network(), ...events])
      .when(rotate('BANKCN1', 'BANKCN1', 'BANKCN1-key-1'))
      .thenRejects('key_id_taken');
  });

  it("the operator may rotate anyone's key; nobody else may rotate another's", () => {
    const given = spec(worldDecider).given(network());
    assert.equal(given.when(rotate('OPERATOR', 'BANKCN1')).decision.kind, 'accepted');
    given.when(rotate('PBOC', 'BANKCN1')).thenRejects('forbidden_scope');
    given.when(rotate('BANKCN2', 'BANKCN1')).thenRejects('forbidden_scope');
    given.when(rotate('OPERATOR', 'NOBODY')).thenRejects('institution_unknown');
  });
});

describe('institutions: roles', () => {
  it('the central bank of its jurisdiction or the operator grants and revokes; idempotent', () => {
    const given = spec(worldDecider).given(network());
    const granted = given.when(setRole('PBOC', 'BANKCN2', true));
    assert.deepEqual(granted.stateAfter().institutions.institutions.get('BANKCN2')?.roles, [
      'liquidity_provider',
    ]);
    given.when(setRole('PBOC', 'BANKCN1', true)).then([]);
    given.when(setRole('HKMA', 'BANKCN2', true)).thenRejects('forbidden_scope');
    given.when(setRole('BANKCN1', 'BANKCN2', true)).thenRejects('forbidden_role');
    given.when(setRole('PBOC', 'REG-CN', true)).thenRejects('role_not_applicable');
    const revoked = given.when(setRole('OPERATOR', 'BANKCN1', false)).stateAfter();
    assert.deepEqual(revoked.institutions.institutions.get('BANKCN1')?.roles, []);
  });
});
