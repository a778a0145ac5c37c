import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DomainEvent } from '../../src/platform/decider/decider.js';
import { nameBasedId } from '../../src/ledger/domain/id.js';
import { ledgerStreamId } from '../../src/ledger/domain/ledger.events.js';
import { TransferFlags } from '../../src/ledger/domain/model.js';
import {
  bankReserveAccountId,
  bankWalletAccountId,
  cbdcIssuanceAccountId,
  reserveIssuanceAccountId,
  TransferCodes,
} from '../../src/institutions/domain/chart-of-accounts.js';
import type { IssuanceRequestView } from '../../src/issuance/issuance.views.js';
import { spec } from '../support/decider-spec.js';
import { NOW, smallNetwork } from '../support/institution-fixtures.js';
import {
  approve,
  creditReserves,
  decline,
  holdings,
  issueDirectly,
  r,
  requestIssuance,
  signatureBy,
} from '../support/issuance-fixtures.js';
import { history, worldDecider } from '../support/world.js';

/**
 * Issuance and redemption as request → approval. A commercial bank asks its own central bank for
 * its home currency; the central bank approves (the linked ledger chain runs) or declines.
 */
describe('issuance requests', () => {
  const world = spec(worldDecider);
  const LATER = NOW + 1_000_000_000n; // after every account of the network was created
  const network = history([...smallNetwork(), creditReserves('PBOC', 'BANKCN1', 100_000n)]);
  const funded = (...more: Parameters<typeof history>[0]) =>
    history([...smallNetwork(), creditReserves('PBOC', 'BANKCN1', 100_000n), ...more]);

  describe('asking', () => {
    it('a bank asks its own central bank: IssuanceRequested, with its signature; nothing moves yet', () => {
      world
        .given(network)
        .when(requestIssuance('BANKCN1', r(1), 'issue', 40_000n, { reference: 'liquidity for Monday' }))
        .then([
          {
            type: 'IssuanceRequested',
            streamId: 'issuance-CNY',
            data: {
              request: {
                id: r(1),
                kind: 'issue',
                bankId: 'BANKCN1',
                centralBankId: 'PBOC',
                jurisdiction: 'CN',
                currency: 'CNY',
                amount: 40_000n,
                reference: 'liquidity for Monday',
              },
              requestedBy: 'BANKCN1',
              requestedAt: NOW,
              signature: signatureBy('BANKCN1'),
            },
          },
        ]);
    });

    it('naming its home currency explicitly is the same', () => {
      replyHas(
        world.given(network).when(requestIssuance('BANKCN1', r(1), 'redeem', 1n, { currency: 'CNY' })),
        {
          id: r(1),
          kind: 'redeem',
          status: 'open',
          bank: 'BANKCN1',
          centralBank: 'PBOC',
          amount: '0.01',
          amountMinor: '1',
        },
      );
    });

    it('a foreign bank asking for CNY is refused (403 forbidden_scope): it asks its own central bank only', () => {
      world
        .given(network)
        .when(requestIssuance('BANKHK1', r(1), 'issue', 100n, { currency: 'CNY' }))
        .thenRejects('forbidden_scope', (p) => assert.equal(p.status, 403));
    });

    it('central banks, regulators and the operator do not ask (403 forbidden_role)', () => {
      for (const actor of ['PBOC', 'REG-CN', 'OPERATOR', 'NOBODY']) {
        world
          .given(network)
          .when(requestIssuance(actor, r(1), 'issue', 100n))
          .thenRejects('forbidden_role');
      }
    });

    it('a request id is used once (409 issuance_request_exists)', () => {
      world
        .given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100n)))
        .when(requestIssuance('BANKCN2', r(1), 'issue', 100n))
        .thenRejects('issuance_request_exists', (p) => assert.equal(p.status, 409));
    });
  });

  describe('approving an issuance', () => {
    it('runs the linked chain: reserves → reserve issuance, CBDC issuance → bank wallet', () => {
      const id = r(1);
      const leg0 = nameBasedId(`issuance:${id}:leg:0`);
      const leg1 = nameBasedId(`issuance:${id}:leg:1`);
      const transfer = (tid: string, debit: string, credit: string, flags: number, timestamp: bigint) => ({
        type: 'TransferCreated',
        streamId: ledgerStreamId('CNY'),
        data: {
          transfer: {
            id: tid,
            debitAccountId: debit,
            creditAccountId: credit,
            amount: 40_000n,
            pendingId: null,
            userData128: id,
            userData64: 0n,
            userData32: 0,
            timeout: 0,
            currency: 'CNY',
            code: TransferCodes.issuance,
            flags,
            timestamp,
          },
        },
      });
      const then = world
        .given(funded(requestIssuance('BANKCN1', id, 'issue', 40_000n)))
        .when(approve('PBOC', id, LATER))
        .then([
          {
            type: 'CbdcIssued',
            streamId: 'issuance-CNY',
            data: {
              requestId: id,
              bankId: 'BANKCN1',
              centralBankId: 'PBOC',
              currency: 'CNY',
              amount: 40_000n,
              requestedBy: 'BANKCN1',
              approvedBy: 'PBOC',
              approvedAt: LATER,
              requestSignature: signatureBy('BANKCN1'),
              approvalSignature: signatureBy('PBOC', 2),
              transferIds: [leg0, leg1],
            },
          },
          transfer(
            leg0,
            bankReserveAccountId('BANKCN1', 'CNY'),
            reserveIssuanceAccountId('PBOC', 'CNY'),
            TransferFlags.linked,
            LATER,
          ),
          transfer(
            leg1,
            cbdcIssuanceAccountId('PBOC', 'CNY'),
            bankWalletAccountId('BANKCN1', 'CNY'),
            0,
            LATER + 1n,
          ),
        ] as DomainEvent[]);
      const after = then.stateAfter();
      assert.deepEqual(holdings(after, 'BANKCN1', 'PBOC', 'CNY'), {
        reserves: 60_000n,
        wallet: 40_000n,
        reservesOwed: 60_000n,
        cbdcOutstanding: 40_000n,
      });
      const supply = after.issuance.supplies.get('CNY')!;
      assert.equal(supply.issued, 40_000n);
      assert.equal(supply.redeemed, 0n);
      assert.equal(after.issuance.requests.get(id)!.status, 'executed');
      replyHas(then, { status: 'executed', decidedBy: 'PBOC', transferIds: [leg0, leg1], amount: '400.00' });
    });

    it('all of the reserves can be turned into CBDC', () => {
      replyHas(
        world.given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100_000n))).when(approve('PBOC', r(1))),
        {
          status: 'executed',
        },
      );
    });

    it('one minor unit more than the reserves: 422 insufficient_reserves, nothing moves, the request stays open', () => {
      const given = funded(requestIssuance('BANKCN1', r(1), 'issue', 100_001n));
      const then = world
        .given(given)
        .when(approve('PBOC', r(1)))
        .thenRejects('insufficient_reserves', (p) => assert.equal(p.status, 422));
      const state = then.stateAfter();
      assert.equal(state.issuance.requests.get(r(1))!.status, 'open');
      assert.equal(holdings(state, 'BANKCN1', 'PBOC', 'CNY').wallet, 0n);
      // Once the reserves are there, the same request can be approved.
      const open = funded(
        requestIssuance('BANKCN1', r(1), 'issue', 100_001n),
        creditReserves('PBOC', 'BANKCN1', 1n),
      );
      replyHas(world.given(open).when(approve('PBOC', r(1))), { status: 'executed' });
    });

    it('a bank with no reserves at all cannot be issued anything', () => {
      world
        .given(funded(requestIssuance('BANKCN2', r(2), 'issue', 1n)))
        .when(approve('PBOC', r(2)))
        .thenRejects('insufficient_reserves');
    });

    it('another central bank may not approve (403 forbidden_scope)', () => {
      world
        .given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100n)))
        .when(approve('HKMA', r(1)))
        .thenRejects('forbidden_scope');
    });

    it('the bank itself, a regulator or the operator may not approve (403 forbidden_role)', () => {
      for (const actor of ['BANKCN1', 'REG-CN', 'OPERATOR']) {
        world
          .given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100n)))
          .when(approve(actor, r(1)))
          .thenRejects('forbidden_role');
      }
    });

    it('an unknown request: 404 issuance_request_unknown', () => {
      world
        .given(network)
        .when(approve('PBOC', r(9)))
        .thenRejects('issuance_request_unknown', (p) => {
          assert.equal(p.status, 404);
        });
    });

    it('approving twice: the second is refused (409 issuance_request_not_open) and nothing moves twice', () => {
      world
        .given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100n), approve('PBOC', r(1))))
        .when(approve('PBOC', r(1)))
        .thenRejects('issuance_request_not_open', (p) => assert.equal(p.status, 409));
    });
  });

  describe('redemption', () => {
    const issued = (...more: Parameters<typeof history>[0]) =>
      funded(requestIssuance('BANKCN1', r(1), 'issue', 40_000n), approve('PBOC', r(1)), ...more);

    it('runs the reverse chain: bank wallet → CBDC issuance, reserve issuance → bank reserves', () => {
      const then = world.given(issued()).when(issueDirectly('PBOC', r(2), 'BANKCN1', 'redeem', 15_000n));
      replyHas(then, { kind: 'redeem', status: 'executed', requestedBy: 'PBOC', decidedBy: 'PBOC' });
      assert.deepEqual(then.decision.kind === 'accepted' ? then.decision.events.map((e) => e.type) : [], [
        'IssuanceRequested',
        'CbdcRedeemed',
        'TransferCreated',
        'TransferCreated',
      ]);
      const after = then.stateAfter();
      assert.deepEqual(holdings(after, 'BANKCN1', 'PBOC', 'CNY'), {
        reserves: 75_000n,
        wallet: 25_000n,
        reservesOwed: 75_000n,
        cbdcOutstanding: 25_000n,
      });
      assert.equal(after.issuance.supplies.get('CNY')!.redeemed, 15_000n);
    });

    it('a bank asks to redeem; approved, it gets its reserves back', () => {
      const then = world
        .given(issued(requestIssuance('BANKCN1', r(3), 'redeem', 40_000n)))
        .when(approve('PBOC', r(3)));
      replyHas(then, { status: 'executed', kind: 'redeem' });
      // stateAfter() evolves the decision onto the given state: once per test.
      assert.deepEqual(holdings(then.stateAfter(), 'BANKCN1', 'PBOC', 'CNY'), {
        reserves: 100_000n,
        wallet: 0n,
        reservesOwed: 100_000n,
        cbdcOutstanding: 0n,
      });
    });

    it('redeeming more than the wallet holds: 422 insufficient_cbdc, nothing moves', () => {
      world
        .given(issued(requestIssuance('BANKCN1', r(3), 'redeem', 40_001n)))
        .when(approve('PBOC', r(3)))
        .thenRejects('insufficient_cbdc', (p) => assert.equal(p.status, 422));
    });

    it('a bank that holds no CBDC cannot redeem', () => {
      world
        .given(issued())
        .when(issueDirectly('PBOC', r(4), 'BANKCN2', 'redeem', 1n))
        .thenRejects('insufficient_cbdc');
    });
  });

  describe('declining', () => {
    it('closes the request with the reason and the signature; nothing moves', () => {
      const then = world
        .given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100n)))
        .when(decline('PBOC', r(1), 'reserve ratio below policy'))
        .then([
          {
            type: 'IssuanceDeclined',
            streamId: 'issuance-CNY',
            data: {
              requestId: r(1),
              bankId: 'BANKCN1',
              currency: 'CNY',
              requestedBy: 'BANKCN1',
              declinedBy: 'PBOC',
              declinedAt: NOW,
              reason: 'reserve ratio below policy',
              requestSignature: signatureBy('BANKCN1'),
              declineSignature: signatureBy('PBOC', 3),
            },
          },
        ]);
      assert.equal(then.stateAfter().issuance.requests.get(r(1))!.status, 'declined');
    });

    it('a declined request cannot be approved, nor declined again', () => {
      const given = funded(requestIssuance('BANKCN1', r(1), 'issue', 100n), decline('PBOC', r(1), 'no'));
      world
        .given(given)
        .when(approve('PBOC', r(1)))
        .thenRejects('issuance_request_not_open');
      world
        .given(given)
        .when(decline('PBOC', r(1), 'no'))
        .thenRejects('issuance_request_not_open');
    });

    it('an executed request cannot be declined', () => {
      world
        .given(funded(requestIssuance('BANKCN1', r(1), 'issue', 100n), approve('PBOC', r(1))))
        .when(decline('PBOC', r(1), 'too late'))
        .thenRejects('issuance_request_not_open');
    });

    it('only the central bank asked may decline', () => {
      const given = funded(requestIssuance('BANKCN1', r(1), 'issue', 100n));
      world
        .given(given)
        .when(decline('HKMA', r(1), 'no'))
        .thenRejects('forbidden_scope');
      world
        .given(given)
        .when(decline('REG-CN', r(1), 'no'))
        .thenRejects('forbidden_role');
    });
  });

  describe('direct issuance by a central bank', () => {
    it('asked and approved in one step: IssuanceRequested and CbdcIssued by the central bank', () => {
      const then = world.given(network).when(issueDirectly('PBOC', r(5), 'BANKCN1', 'issue', 30_000n));
      assert.deepEqual(then.decision.kind === 'accepted' ? then.decision.events.map((e) => e.type) : [], [
        'IssuanceRequested',
        'CbdcIssued',
        'TransferCreated',
        'TransferCreated',
      ]);
      replyHas(then, {
        requestedBy: 'PBOC',
        decidedBy: 'PBOC',
        status: 'executed',
        requestSignature: signatureBy('PBOC', 4),
      });
      assert.equal(holdings(then.stateAfter(), 'BANKCN1', 'PBOC', 'CNY').wallet, 30_000n);
    });

    it('only to its own jurisdiction commercial banks', () => {
      world
        .given(network)
        .when(issueDirectly('HKMA', r(5), 'BANKCN1', 'issue', 1n))
        .thenRejects('forbidden_scope');
      world
        .given(network)
        .when(issueDirectly('PBOC', r(5), 'BANKCN1', 'issue', 1n, { currency: 'HKD' }))
        .thenRejects('forbidden_scope');
      world
        .given(network)
        .when(issueDirectly('PBOC', r(5), 'REG-CN', 'issue', 1n))
        .thenRejects('not_a_commercial_bank');
      world
        .given(network)
        .when(issueDirectly('PBOC', r(5), 'NOBANK', 'issue', 1n))
        .thenRejects('institution_unknown');
      world
        .given(network)
        .when(issueDirectly('BANKCN1', r(5), 'BANKCN1', 'issue', 1n))
        .thenRejects('forbidden_role');
    });
  });

  it('decide leaves the state as it was (it plans on the ledger, never writes to it)', () => {
    const given = funded(requestIssuance('BANKCN1', r(1), 'issue', 40_000n));
    const state = worldDecider.initialState();
    for (const event of given) worldDecider.evolve(state, event);
    const before = JSON.stringify(snapshot(state));
    const decision = worldDecider.decide(approve('PBOC', r(1)), state);
    assert.equal(decision.kind, 'accepted');
    assert.equal(JSON.stringify(snapshot(state)), before);
  });
});

/** The command is accepted and its reply (a view with many more fields) has these. */
function replyHas<T extends { decision: { kind: string } }>(
  then: T,
  expected: Partial<IssuanceRequestView>,
): T {
  const decision = then.decision as {
    kind: string;
    reply?: unknown;
    rejection?: { code: string; detail: string };
  };
  assert.equal(
    decision.kind,
    'accepted',
    decision.rejection ? `${decision.rejection.code}: ${decision.rejection.detail}` : '',
  );
  const reply = decision.reply as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected)) assert.deepEqual(reply[key], value, `reply.${key}`);
  return then;
}

function snapshot(state: ReturnType<typeof worldDecider.initialState>) {
  const maps = (m: { entries(): IterableIterator<[unknown, unknown]> }) => [...m.entries()];
  return JSON.stringify(
    {
      requests: maps(state.issuance.requests),
      supplies: maps(state.issuance.supplies),
      accounts: maps(state.ledger.accounts),
      transfers: maps(state.ledger.transfers),
    },
    (_, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}
