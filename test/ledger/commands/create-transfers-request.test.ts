import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseCreateTransfersRequest,
  parseCreateTransfersRequestByReader,
} from '../../../src/ledger/commands/create-transfers/create-transfers.request.js';
import { Prng } from '../../support/prng.js';

/**
 * POST /v1/ledger/transfers reads plain items without the BodyReader (a shortcut for the common
 * case). Whatever the body, the result must be what the reader alone gives: the same transfers,
 * field for field and in the same key order, or the same 400 with the same errors.
 */

function outcome(parse: (body: unknown) => unknown, body: unknown): string {
  try {
    return JSON.stringify(parse(body), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch (error) {
    // The problem (code, detail, every error with its pointer), not the stack.
    return `error ${JSON.stringify({ message: (error as Error).message, problem: (error as { problem?: unknown }).problem })}`;
  }
}

function same(body: unknown): void {
  assert.equal(
    outcome(parseCreateTransfersRequest, body),
    outcome(parseCreateTransfersRequestByReader, body),
    JSON.stringify(body),
  );
}

const ID = '0b3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d';
const DR = '1c3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d';
const CR = '2d3c7f5e-2f6a-4e0a-9d1b-6f1c2a3b4c5d';
const plain = {
  id: ID,
  debitAccountId: DR,
  creditAccountId: CR,
  amountMinor: '100',
  currency: 'CNY',
  code: 1,
};

/** Values a field may be given, good and bad. */
const VARIANTS: Record<string, unknown[]> = {
  id: [
    ID,
    ID.toUpperCase(),
    '0B3C7F5E-2f6a-4e0a-9d1b-6f1c2a3b4c5d',
    'x',
    '',
    null,
    7,
    '0b3c7f5e2f6a4e0a9d1b6f1c2a3b4c5d0000',
    '00000000-0000-0000-0000-000000000000',
  ],
  debitAccountId: [DR, DR.toUpperCase(), undefined, null, 'g'.repeat(36), `${DR} `],
  creditAccountId: [CR, undefined, 12, 'ffffffff-ffff-ffff-ffff-ffffffffffff'],
  amountMinor: [
    '100',
    '0',
    '-1',
    '01',
    '9223372036854775807',
    '9223372036854775808',
    '1e3',
    '1.5',
    100,
    undefined,
    '9'.repeat(41),
  ],
  amount: [undefined, '1.23', '1.234', '5', 5],
  currency: ['CNY', 'JPY', 'cny', 'XXX', '', 3, undefined, null],
  code: [1, 0, 65_535, 65_536, 1.5, '1', undefined, -1],
  flags: [
    undefined,
    [],
    ['linked'],
    ['pending'],
    ['postPendingTransfer'],
    ['voidPendingTransfer'],
    ['nope'],
    'linked',
    [1],
  ],
  pendingId: [undefined, ID, null, 'x', DR.toUpperCase()],
  timeout: [undefined, 0, 60, -1, 2_147_483_648, 1.5, '60'],
  userData128: [undefined, ID, null, 'x'],
  userData64: [undefined, '0', '5', '9223372036854775808', 5],
  userData32: [undefined, 0, 4_294_967_295, 4_294_967_296, -1, 0.5],
  extra: [undefined, 1],
};

describe('POST /v1/ledger/transfers body: the plain-item shortcut reads as the reader does', () => {
  it('a plain item, and each field alone in every variant', () => {
    same({ transfers: [plain] });
    for (const [field, values] of Object.entries(VARIANTS)) {
      for (const value of values) same({ transfers: [{ ...plain, [field]: value }] });
    }
  });

  it('random items mixing every variant, in batches, good and bad side by side', () => {
    const rng = new Prng(20_251_125);
    for (let round = 0; round < 400; round++) {
      const transfers = Array.from({ length: rng.int(1, 6) }, () => {
        const item: Record<string, unknown> = { ...plain };
        for (const [field, values] of Object.entries(VARIANTS)) {
          if (rng.chance(0.15)) item[field] = rng.pick(values);
        }
        for (const key of Object.keys(item)) if (item[key] === undefined) delete item[key];
        return item;
      });
      same({ transfers });
    }
  });

  it('bodies and items that are not objects', () => {
    for (const body of [
      null,
      [],
      'x',
      { transfers: [] },
      { transfers: [null, 1, 'x', [plain]] },
      { transfers: [plain], x: 1 },
    ]) {
      same(body);
    }
  });
});
