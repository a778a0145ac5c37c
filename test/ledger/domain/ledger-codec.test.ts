import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeLedgerEvent, encodeLedgerEvent } from '../../../src/ledger/domain/ledger.codec.js';
import type { LedgerEvent } from '../../../src/ledger/domain/ledger.events.js';

/** Every ledger event, with bigints a double cannot hold (2^53 + 1, 2^63 − 1) and below zero. */
const EVENTS: LedgerEvent[] = [
  {
    type: 'AccountCreated',
    streamId: 'ledger-CNY',
    data: {
      account: {
        id: '0b3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
        currency: 'CNY',
        code: 1,
        flags: 2,
        userData128: null,
        userData64: 9_223_372_036_854_775_807n,
        userData32: 7,
        debitsPending: 9_007_199_254_740_993n,
        debitsPosted: 0n,
        creditsPending: 1n,
        creditsPosted: 123_456_789_012_345_678n,
        timestamp: 1_795_568_794_131_000_998n,
      },
    },
  },
  {
    type: 'TransferCreated',
    streamId: 'ledger-CNY',
    data: {
      transfer: {
        id: '1c3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
        debitAccountId: '0b3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
        creditAccountId: '2d3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
        amount: 9_007_199_254_740_993n,
        pendingId: null,
        userData128: '3e3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
        userData64: 9_223_372_036_854_775_807n,
        userData32: 0,
        timeout: 0,
        currency: 'CNY',
        code: 1,
        flags: 0,
        timestamp: 1_795_568_794_195_000_498n,
      },
    },
  },
  {
    type: 'TransferFailed',
    streamId: 'ledger-HKD',
    data: {
      id: '4f3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
      result: 'exceeds_credits',
      timestamp: 2n ** 62n + 1n,
    },
  },
  {
    type: 'PendingTransferExpired',
    streamId: 'ledger-HKD',
    data: {
      pendingId: '5a3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
      debitAccountId: '0b3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
      creditAccountId: '2d3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
      amount: 9_007_199_254_740_993n,
      timestamp: 1_795_568_794_195_000_499n,
    },
  },
];

/** JSON with bigints marked: shows key order and bigint-vs-string differences. */
const ordered = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('ledger codec', () => {
  it('reads every event back from its stored JSON: values, bigints and key order', () => {
    for (const event of EVENTS) {
      const stored = JSON.stringify(encodeLedgerEvent(event));
      assert.doesNotMatch(stored, /"\d+n"/);
      const decoded = decodeLedgerEvent(event.type, event.streamId, JSON.parse(stored));
      assert.deepStrictEqual(decoded, event);
      assert.equal(ordered(decoded), ordered(event));
    }
  });

  it('stores bigints as decimal strings (the form the audit trail hashes)', () => {
    const stored = JSON.stringify(encodeLedgerEvent(EVENTS[1]!));
    assert.match(stored, /"amount":"9007199254740993"/);
    assert.match(stored, /"timestamp":"1795568794195000498"/);
  });
});
