import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AuthenticatedCaller, type Caller } from '../../../platform/auth/caller.js';
import { currencyOfPath } from '../currency-path.js';
import { GetSupplyQuery, type SupplyView } from './get-supply.query.js';

@Controller('v1/currencies/:code/supply')
export class SupplyController {
  constructor(private readonly queries: QueryBus) {}

  /** Issued, redeemed, outstanding and cap of a currency, and who holds it (operator, issuer, its regulators). */
  @Get()
  async supply(@Param('code') code: string, @AuthenticatedCaller() caller: Caller): Promise<SupplyView> {
    const currency = currencyOfPath(code);
    return this.queries.execute(new GetSupplyQuery(currency.code, caller.institution));
  }
}
