import { Controller, Get, Param, Query as QueryParam } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { BodyReader } from '../../platform/http/body-reader.js';
import { parseId } from '../domain/id.js';
import { ProblemException } from '../../platform/http/problem.js';
import { AllowKinds } from '../../platform/auth/caller.js';
import { GetAccountQuery } from './get-account/get-account.query.js';
import { GetTransferQuery } from './get-transfer/get-transfer.query.js';
import { ListAccountTransfersQuery } from './list-account-transfers/list-account-transfers.query.js';

const POSITION = /^(0|[1-9][0-9]{0,18})$/;

/** Reads of the ledger's read models: thin, each maps parameters to one query. */
@Controller('v1/ledger')
@AllowKinds('operator')
export class LedgerQueriesController {
  constructor(private readonly queries: QueryBus) {}

  @Get('accounts/:id')
  account(@Param('id') id: string, @QueryParam() query: Record<string, unknown>) {
    const reader = new BodyReader();
    reader.object(query, '?', ['asOfPosition']);
    const asOf = query.asOfPosition;
    if (asOf !== undefined && (typeof asOf !== 'string' || !POSITION.test(asOf))) {
      reader.fail('?asOfPosition', 'invalid_position', 'must be a non-negative integer');
    }
    reader.throwIfInvalid();
    return this.queries.execute(
      new GetAccountQuery(pathId(id, 'account'), asOf === undefined ? null : BigInt(asOf as string)),
    );
  }

  @Get('accounts/:id/transfers')
  accountTransfers(@Param('id') id: string, @QueryParam() query: Record<string, unknown>) {
    const reader = new BodyReader();
    reader.object(query, '?', ['limit', 'after']);
    const limitText = query.limit ?? '100';
    if (
      typeof limitText !== 'string' ||
      !/^[0-9]{1,4}$/.test(limitText) ||
      Number(limitText) < 1 ||
      Number(limitText) > 1000
    ) {
      reader.fail('?limit', 'invalid_limit', 'must be an integer from 1 to 1000');
    }
    const after = query.after ?? '0';
    if (typeof after !== 'string' || !POSITION.test(after)) {
      reader.fail('?after', 'invalid_cursor', 'must be a cursor returned as nextCursor');
    }
    reader.throwIfInvalid();
    return this.queries.execute(
      new ListAccountTransfersQuery(pathId(id, 'account'), Number(limitText), BigInt(after as string)),
    );
  }

  @Get('transfers/:id')
  transfer(@Param('id') id: string) {
    return this.queries.execute(new GetTransferQuery(pathId(id, 'transfer')));
  }
}

function pathId(text: string, what: string): string {
  const id = parseId(text);
  if (id === null)
    throw ProblemException.badRequest(
      'invalid_id',
      `The ${what} id must be a 128-bit id written as a UUID string.`,
    );
  return id;
}
