import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BodyReader } from '../../platform/http/body-reader.js';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { INSTITUTION_ID } from '../../institutions/domain/institution.js';
import { parseWalletId, pathWalletId } from '../commands/wallet-id.js';
import { GetWalletQuery } from './get-wallet.js';
import { ListWalletsQuery } from './list-wallets.js';
import { WalletHistoryQuery } from './wallet-history.js';

const CURSOR = /^(0|[1-9][0-9]{0,18})$/;

/**
 * Reads of wallets. Who may read is decided per wallet in the handlers: the bank that operates
 * it, its jurisdiction's central bank and regulators, the operator.
 */
@Controller('v1/wallets')
export class WalletsQueriesController {
  constructor(private readonly queries: QueryBus) {}

  /** A bank's wallets: `bank` defaults to the caller when it is a commercial bank. */
  @Get()
  list(@QueryParam() query: Record<string, unknown>, @AuthenticatedCaller() caller: Caller) {
    const r = new BodyReader();
    r.object(query, '?', ['bank', 'limit', 'after']);
    const bank =
      query.bank ?? (caller.institution.kind === 'commercial_bank' ? caller.institution.id : undefined);
    if (bank === undefined)
      r.fail('?bank', 'bank_required', 'is required: the commercial bank whose wallets to list');
    else if (typeof bank !== 'string' || !INSTITUTION_ID.test(bank))
      r.fail('?bank', 'institution_id_invalid', 'must be an institution id such as BANKCN1');
    const limit = readLimit(r, query.limit);
    const after = query.after === undefined ? null : parseWalletId(query.after);
    if (query.after !== undefined && after === null)
      r.fail('?after', 'invalid_cursor', 'must be a cursor returned as nextCursor');
    r.throwIfInvalid();
    return this.queries.execute(new ListWalletsQuery(bank as string, limit, after, caller.institution));
  }

  @Get(':id')
  get(@Param('id') id: string, @AuthenticatedCaller() caller: Caller) {
    return this.queries.execute(new GetWalletQuery(pathWalletId(id), caller.institution));
  }

  /** The wallet's transfers, oldest first; `after` is the previous page's `nextCursor`. */
  @Get(':id/history')
  history(
    @Param('id') id: string,
    @QueryParam() query: Record<string, unknown>,
    @AuthenticatedCaller() caller: Caller,
  ) {
    const walletId = pathWalletId(id);
    const r = new BodyReader();
    r.object(query, '?', ['limit', 'after']);
    const limit = readLimit(r, query.limit);
    const after = query.after ?? '0';
    if (typeof after !== 'string' || !CURSOR.test(after))
      r.fail('?after', 'invalid_cursor', 'must be a cursor returned as nextCursor');
    r.throwIfInvalid();
    return this.queries.execute(
      new WalletHistoryQuery(walletId, limit, BigInt(after as string), caller.institution),
    );
  }
}

function readLimit(r: BodyReader, value: unknown): number {
  const text = value ?? '100';
  if (typeof text !== 'string' || !/^[0-9]{1,4}$/.test(text) || Number(text) < 1 || Number(text) > 1000) {
    r.fail('?limit', 'invalid_limit', 'must be an integer from 1 to 1000');
    return 100;
  }
  return Number(text);
}
