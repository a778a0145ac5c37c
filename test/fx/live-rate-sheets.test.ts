import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FxState } from '../../src/fx/domain/fx.state.js';
import { rateSheetKey, type RateSheet } from '../../src/fx/domain/rate-sheet.js';
import { liveRateSheets, type FxWorld } from '../../src/fx/domain/routing.js';
import type { Institution, InstitutionRole } from '../../src/institutions/domain/institution.js';
import { InstitutionsState } from '../../src/institutions/domain/institutions.state.js';
import { LedgerState } from '../../src/ledger/domain/ledger.state.js';
import { Prng } from '../support/prng.js';

/**
 * liveRateSheets keeps its answer while the sheets' version, the providers' records and the span
 * in which no sheet expires stay the same: it must always equal what a fresh look at the state
 * gives, whatever changes between two calls (sheets, roles, the clock in either direction, undo).
 */
function expected(world: FxWorld, now: bigint): RateSheet[] {
  return [...world.fx.sheets.values()].filter(
    (sheet) =>
      sheet.expiresAt > now &&
      (world.institutions.institutions.get(sheet.provider)?.roles.includes('liquidity_provider') ?? false),
  );
}

/** Each sheet object by a number of its own: the answer must hold the very sheets, not look-alikes. */
const IDENTITIES = new WeakMap<RateSheet, number>();
let identified = 0;
function identities(sheets: readonly RateSheet[]): number[] {
  return sheets.map((s) => {
    let id = IDENTITIES.get(s);
    if (id === undefined) {
      id = identified++;
      IDENTITIES.set(s, id);
    }
    return id;
  });
}

function institution(id: string, roles: readonly InstitutionRole[]): Institution {
  return {
    id,
    kind: 'commercial_bank',
    name: id,
    jurisdiction: 'CN',
    roles,
    key: { keyId: `${id}-key`, publicKey: '', activeFrom: 0n },
    registeredAt: 0n,
  } as Institution;
}

const PROVIDERS = ['LPA', 'LPB', 'LPC'];
const CURRENCIES = ['CNY', 'HKD', 'THB'];

function sheet(rng: Prng, now: bigint): RateSheet {
  const from = CURRENCIES[rng.int(0, 2)]!;
  const to = CURRENCIES.find((c) => c !== from && rng.int(0, 1) === 0) ?? CURRENCIES.find((c) => c !== from)!;
  return {
    provider: PROVIDERS[rng.int(0, 2)]!,
    from,
    to,
    rate: '1.5',
    spreadBps: 10,
    maxAmount: 1_000_000n,
    publishedAt: now,
    expiresAt: now + BigInt(rng.int(1, 50)),
    evidence: null,
  };
}

describe('liveRateSheets, kept between calls', () => {
  it('always equals a fresh look at the state, through sheet changes, role changes, the clock and rollbacks', () => {
    const rng = new Prng(20261125);
    const world = { fx: new FxState(), institutions: new InstitutionsState(), ledger: new LedgerState() };
    for (const id of PROVIDERS)
      world.institutions.institutions.set(id, institution(id, ['liquidity_provider']));
    let now = 100n;
    for (let step = 0; step < 5_000; step++) {
      switch (rng.int(0, 7)) {
        case 0: {
          const s = sheet(rng, now);
          world.fx.sheets.set(rateSheetKey(s.provider, s.from, s.to), s);
          break;
        }
        case 1: {
          const keys = [...world.fx.sheets.keys()];
          if (keys.length > 0) world.fx.sheets.delete(keys[rng.int(0, keys.length - 1)]!);
          break;
        }
        case 2: {
          const id = PROVIDERS[rng.int(0, 2)]!;
          const roles: InstitutionRole[] = rng.int(0, 1) === 0 ? ['liquidity_provider'] : [];
          world.institutions.institutions.set(id, institution(id, roles));
          break;
        }
        case 3:
          now += BigInt(rng.int(0, 20));
          break;
        case 4:
          now -= BigInt(rng.int(0, 10)); // a caller may ask about an earlier instant
          break;
        case 5: {
          // Changes made and undone (a batch whose commit failed), asked about in between.
          world.fx.begin();
          world.institutions.begin();
          const s = sheet(rng, now);
          world.fx.sheets.set(rateSheetKey(s.provider, s.from, s.to), s);
          const id = PROVIDERS[rng.int(0, 2)]!;
          world.institutions.institutions.set(id, institution(id, []));
          assert.deepEqual(identities(liveRateSheets(world, now)), identities(expected(world, now)));
          world.fx.rollback();
          world.institutions.rollback();
          break;
        }
        default:
          break;
      }
      assert.deepEqual(
        identities(liveRateSheets(world, now)),
        identities(expected(world, now)),
        `step ${step}`,
      );
    }
  });
});
