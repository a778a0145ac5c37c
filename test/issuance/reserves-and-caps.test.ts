import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameBasedId } from '../../src/ledger/domain/id.js';
import { AMOUNT_MAX } from '../../src/ledger/domain/amount.js';
import { spec } from '../support/decider-spec.js';
import { NOW, smallNetwork } from '../support/institution-fixtures.js';
import {
  approve,
  c,
  creditReserves,
  exoticJurisdiction,
  holdings,
  issueDirectly,
  r,
  requestIssuance,
  setCap,
  signatureBy,
} from '../support/issuance-fixtures.js';
import { history, worldDecider } from '../support/world.js';

const world = spec(worldDecider);
const network = () => history(smallNetwork());
const withNetwork = (...more: Parameters<typeof history>[0]) => history([...smallNetwork(), ...more]);

function replyOf(then: { decision: unknown }): Record<string, unknown> {
  const decision = then.decision as { kind: string; reply?: unknown; rejection?: { code: string } };
  assert.equal(decision.kind, 'accepted', decision.rejection?.code);
  return decision.reply as Record<string, unknown>;
}

describe('reserve credits (simulated RTGS funding)', () => {
  it('a central bank credits its own bank: reserve issuance → bank reserves, in its currency', () => {
    const then = world
      .given(network())
      .when(creditReserves('PBOC', 'BANKCN1', 5_000_000n, { creditId: c(1) }));
    const decision = then.decision;
    assert.equal(decision.kind, 'accepted');
    if (decision.kind !== 'accepted') return;
    assert.deepEqual(
      decision.events.map((e) => e.type),
      ['ReservesCredited', 'TransferCreated'],
    );
    assert.deepEqual(decision.events[0], {
      type: 'ReservesCredited',
      streamId: 'issuance-CNY',
      data: {
        creditId: c(1),
        centralBankId: 'PBOC',
        bankId: 'BANKCN1',
        currency: 'CNY',
        amount: 5_000_000n,
        transferId: nameBasedId(`reserve-credit:${c(1)}`),
        creditedBy: 'PBOC',
        creditedAt: NOW,
        signature: signatureBy('PBOC'),
      },
    });
    assert.deepEqual(holdings(then.stateAfter(), 'BANKCN1', 'PBOC', 'CNY'), {
      reserves: 5_000_000n,
      wallet: 0n,
      reservesOwed: 5_000_000n,
      cbdcOutstanding: 0n,
    });
    assert.deepEqual(replyOf(then), {
      id: c(1),
      bank: 'BANKCN1',
      centralBank: 'PBOC',
      currency: 'CNY',
      amount: '50000.00',
      amountMinor: '5000000',
      transferId: nameBasedId(`reserve-credit:${c(1)}`),
      creditedBy: 'PBOC',
      creditedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it("only its own jurisdiction's commercial banks, in its own currency", () => {
    world
      .given(network())
      .when(creditReserves('HKMA', 'BANKCN1', 1n))
      .thenRejects('forbidden_scope');
    world
      .given(network())
      .when(creditReserves('PBOC', 'BANKHK1', 1n))
      .thenRejects('forbidden_scope');
    world
      .given(network())
      .when(creditReserves('PBOC', 'BANKCN1', 1n, { currency: 'HKD' }))
      .thenRejects('forbidden_scope');
    world
      .given(network())
      .when(creditReserves('PBOC', 'REG-CN', 1n))
      .thenRejects('not_a_commercial_bank');
    world
      .given(network())
      .when(creditReserves('PBOC', 'HKMA', 1n))
      .thenRejects('not_a_commercial_bank');
    world
      .given(network())
      .when(creditReserves('PBOC', 'GHOST', 1n))
      .thenRejects('institution_unknown', (p) => assert.equal(p.status, 404));
  });

  it('banks, regulators and the operator do not credit reserves (403 forbidden_role)', () => {
    for (const actor of ['BANKCN1', 'REG-CN', 'OPERATOR']) {
      world
        .given(network())
        .when(creditReserves(actor, 'BANKCN1', 1n))
        .thenRejects('forbidden_role');
    }
  });

  it('a credit id is used once', () => {
    world
      .given(withNetwork(creditReserves('PBOC', 'BANKCN1', 1n, { creditId: c(1) })))
      .when(creditReserves('PBOC', 'BANKCN2', 1n, { creditId: c(1) }))
      .thenRejects('reserve_credit_exists');
  });

  it('a balance past the largest the ledger holds: 422 amount_overflows, nothing moves', () => {
    world
      .given(withNetwork(creditReserves('PBOC', 'BANKCN1', AMOUNT_MAX)))
      .when(creditReserves('PBOC', 'BANKCN1', 1n))
      .thenRejects('amount_overflows');
  });
});

describe('supply caps', () => {
  const funded = (...more: Parameters<typeof history>[0]) =>
    withNetwork(creditReserves('PBOC', 'BANKCN1', 1_000_000n), ...more);

  it('the issuing central bank sets a cap on its currency: SupplyCapSet', () => {
    world
      .given(network())
      .when(setCap('PBOC', 'CNY', 100_000n))
      .then([
        {
          type: 'SupplyCapSet',
          streamId: 'issuance-CNY',
          data: {
            currency: 'CNY',
            centralBankId: 'PBOC',
            cap: 100_000n,
            previousCap: null,
            setBy: 'PBOC',
            setAt: NOW,
            signature: signatureBy('PBOC', 5),
          },
        },
      ]);
  });

  it("another currency's central bank may not (403 forbidden_scope); others may not at all (forbidden_role)", () => {
    world
      .given(network())
      .when(setCap('HKMA', 'CNY', 1n))
      .thenRejects('forbidden_scope');
    for (const actor of ['BANKCN1', 'REG-CN', 'OPERATOR']) {
      world
        .given(network())
        .when(setCap(actor, 'CNY', 1n))
        .thenRejects('forbidden_role');
    }
  });

  it('setting the cap it already has changes nothing; null removes it', () => {
    const capped = funded(setCap('PBOC', 'CNY', 100_000n));
    world
      .given(capped)
      .when(setCap('PBOC', 'CNY', 100_000n))
      .then([]);
    const removed = world.given(capped).when(setCap('PBOC', 'CNY', null));
    assert.equal(removed.stateAfter().issuance.supplies.get('CNY')!.cap, null);
    assert.deepEqual(replyOf(removed).cap, null);
  });

  it('issuing exactly up to the cap passes; one minor unit more fails (422 supply_cap_exceeded)', () => {
    const capped = funded(
      setCap('PBOC', 'CNY', 100_000n),
      issueDirectly('PBOC', r(1), 'BANKCN1', 'issue', 60_000n),
    );
    assert.equal(
      world.given(capped).when(issueDirectly('PBOC', r(2), 'BANKCN1', 'issue', 40_000n)).decision.kind,
      'accepted',
    );
    world
      .given(capped)
      .when(issueDirectly('PBOC', r(2), 'BANKCN1', 'issue', 40_001n))
      .thenRejects('supply_cap_exceeded', (p) => {
        assert.equal(p.status, 422);
        assert.match(p.detail, /1000\.01 CNY/);
      });
  });

  it('a bank asking past the cap is refused at once', () => {
    world
      .given(funded(setCap('PBOC', 'CNY', 100_000n)))
      .when(requestIssuance('BANKCN1', r(1), 'issue', 100_001n))
      .thenRejects('supply_cap_exceeded');
  });

  it('the cap is checked again at approval: it may have been lowered after the request', () => {
    const given = funded(
      issueDirectly('PBOC', r(1), 'BANKCN1', 'issue', 50_000n),
      requestIssuance('BANKCN1', r(2), 'issue', 60_000n),
      requestIssuance('BANKCN1', r(3), 'issue', 50_000n),
      setCap('PBOC', 'CNY', 100_000n),
    );
    world
      .given(given)
      .when(approve('PBOC', r(2)))
      .thenRejects('supply_cap_exceeded');
    const atCap = world.given(given).when(approve('PBOC', r(3)));
    assert.equal(atCap.stateAfter().issuance.supplies.get('CNY')!.issued, 100_000n);
  });

  it('redemptions are never capped, and make room under the cap again', () => {
    const full = funded(
      issueDirectly('PBOC', r(1), 'BANKCN1', 'issue', 100_000n),
      setCap('PBOC', 'CNY', 80_000n),
    );
    world
      .given(full)
      .when(issueDirectly('PBOC', r(2), 'BANKCN1', 'issue', 1n))
      .thenRejects('supply_cap_exceeded');
    const then = world.given(full).when(issueDirectly('PBOC', r(2), 'BANKCN1', 'redeem', 30_000n));
    assert.equal(then.decision.kind, 'accepted');
    const roomAgain = funded(
      issueDirectly('PBOC', r(1), 'BANKCN1', 'issue', 100_000n),
      setCap('PBOC', 'CNY', 80_000n),
      issueDirectly('PBOC', r(2), 'BANKCN1', 'redeem', 30_000n),
    );
    assert.equal(
      world.given(roomAgain).when(issueDirectly('PBOC', r(3), 'BANKCN1', 'issue', 10_000n)).decision.kind,
      'accepted',
    );
    world
      .given(roomAgain)
      .when(issueDirectly('PBOC', r(3), 'BANKCN1', 'issue', 10_001n))
      .thenRejects('supply_cap_exceeded');
  });

  it('caps are per currency: a CNY cap does not bind HKD', () => {
    const then = world
      .given(withNetwork(setCap('PBOC', 'CNY', 1n), creditReserves('HKMA', 'BANKHK1', 500n)))
      .when(issueDirectly('HKMA', r(1), 'BANKHK1', 'issue', 500n));
    assert.equal(then.decision.kind, 'accepted');
  });
});

describe('currencies with 0 and 3 decimals', () => {
  it('JPY (0 decimals): amounts are whole yen, both in events and in views', () => {
    const given = history([
      ...smallNetwork(),
      ...exoticJurisdiction('JP'),
      creditReserves('BOJ', 'BANKJP1', 1_000_000n),
    ]);
    const then = world.given(given).when(issueDirectly('BOJ', r(1), 'BANKJP1', 'issue', 1234n));
    const reply = replyOf(then);
    assert.equal(reply.currency, 'JPY');
    assert.equal(reply.amount, '1234');
    assert.equal(reply.amountMinor, '1234');
    assert.deepEqual(holdings(then.stateAfter(), 'BANKJP1', 'BOJ', 'JPY').wallet, 1234n);
    const capped = history([
      ...smallNetwork(),
      ...exoticJurisdiction('JP'),
      creditReserves('BOJ', 'BANKJP1', 1_000_000n),
      setCap('BOJ', 'JPY', 1000n),
    ]);
    world
      .given(capped)
      .when(issueDirectly('BOJ', r(1), 'BANKJP1', 'issue', 1001n))
      .thenRejects('supply_cap_exceeded', (p) =>
        assert.match(p.detail, /Issuing 1001 JPY .* to 1001 JPY, over the cap of 1000 JPY /),
      );
    assert.equal(
      world.given(capped).when(issueDirectly('BOJ', r(1), 'BANKJP1', 'issue', 1000n)).decision.kind,
      'accepted',
    );
  });

  it('KWD (3 decimals): 1 minor unit is 0.001 KWD; a foreign central bank still may not touch it', () => {
    const given = history([
      ...smallNetwork(),
      ...exoticJurisdiction('KW'),
      creditReserves('CBK', 'BANKKW1', 2_500n),
    ]);
    const then = world.given(given).when(requestIssuance('BANKKW1', r(1), 'issue', 2_501n));
    assert.equal(replyOf(then).amount, '2.501');
    const asked = history([
      ...smallNetwork(),
      ...exoticJurisdiction('KW'),
      creditReserves('CBK', 'BANKKW1', 2_500n),
      requestIssuance('BANKKW1', r(1), 'issue', 2_501n),
      requestIssuance('BANKKW1', r(2), 'issue', 2_500n),
    ]);
    world
      .given(asked)
      .when(approve('CBK', r(1)))
      .thenRejects('insufficient_reserves', (p) => assert.match(p.detail, /2\.501 KWD/));
    world
      .given(asked)
      .when(approve('PBOC', r(2)))
      .thenRejects('forbidden_scope');
    const done = world.given(asked).when(approve('CBK', r(2)));
    assert.deepEqual(holdings(done.stateAfter(), 'BANKKW1', 'CBK', 'KWD'), {
      reserves: 0n,
      wallet: 2_500n,
      reservesOwed: 0n,
      cbdcOutstanding: 2_500n,
    });
    assert.equal(replyOf(done).amount, '2.500');
  });
});
