import { Controller, Get, Inject, Query as QueryParam, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { CLOCK, isoFromNs, type Clock } from '../../platform/clock/clock.js';
import { BodyReader } from '../../platform/http/body-reader.js';
import { parseWalletId } from '../../wallets/commands/wallet-id.js';
import { AccountStatementQuery, type AccountStatement } from './account-statement.js';
import { bankToCustomerStatement } from './bank-to-customer-statement.js';
import { parseCalendarDate } from './local-day.js';

/** camt.053 statements: `?wallet=<wallet id>&date=YYYY-MM-DD`, to whoever may read the wallet. */
@Controller('v1/iso20022')
export class StatementController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('camt.053')
  async statement(
    @QueryParam() query: Record<string, unknown>,
    @AuthenticatedCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    // A query string is not an ISO message: its mistakes are ordinary 400 problem details.
    const r = new BodyReader();
    r.object(query, '?', ['wallet', 'date']);
    const wallet = parseWalletId(query.wallet);
    if (wallet === null)
      r.fail(
        '?wallet',
        'wallet_id_invalid',
        'must be a wallet id: a UUID, or <bank>.<currency> such as BANKCN1.CNY',
      );
    const date = parseCalendarDate(query.date);
    if (date === null) r.fail('?date', 'date_invalid', 'must be a calendar date YYYY-MM-DD');
    r.throwIfInvalid();
    const statement: AccountStatement = await this.queries.execute(
      new AccountStatementQuery(wallet!, date!, caller.institution),
    );
    response.type('application/xml');
    return bankToCustomerStatement(statement, isoFromNs(this.clock.nowNs()));
  }
}
