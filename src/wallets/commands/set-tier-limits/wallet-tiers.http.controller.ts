import { Body, Controller, Get, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ProblemException } from '../../../platform/http/problem.js';
import { AllowKinds, AuthenticatedCaller, metadataOf, type Caller } from '../../../platform/auth/caller.js';
import { findCurrency, type Currency } from '../../../ledger/domain/currency.js';
import type { TierLimits } from '../../domain/tier-limits.js';
import type { WalletTier } from '../../domain/wallet.js';
import { GetTierLimitsQuery } from '../../queries/get-tier-limits.js';
import { tierLimitsView } from '../../wallet.view.js';
import { SubmitWalletsCommand, type WalletsOutcome } from '../submit-wallets-command.js';
import { parseTierLimits } from './set-tier-limits.request.js';

@Controller('v1/currencies/:code/wallet-tiers')
export class WalletTiersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** The limits in force for each tier of the currency (any signed caller: they are policy, not data). */
  @Get()
  list(@Param('code') code: string) {
    return this.queries.execute(new GetTierLimitsQuery(currencyOf(code).code));
  }

  /** Sets a tier's limits: only the central bank that issues the currency. Idempotent. */
  @Put(':tier')
  @HttpCode(200)
  @AllowKinds('central_bank')
  async set(
    @Param('code') code: string,
    @Param('tier') tierText: string,
    @Body() body: unknown,
    @AuthenticatedCaller() caller: Caller,
  ) {
    const currency = currencyOf(code);
    if (!/^[1-4]$/.test(tierText)) {
      throw ProblemException.notFound('tier_unknown', 'Wallet tiers are 1, 2, 3 and 4.');
    }
    const tier = Number(tierText) as WalletTier;
    const limits = parseTierLimits(body, currency);
    const outcome: WalletsOutcome<{ currency: string; tier: WalletTier; limits: TierLimits }> =
      await this.commands.execute(
        new SubmitWalletsCommand(
          {
            type: 'SetWalletTierLimits',
            actor: caller.institution.id,
            currency: currency.code,
            tier,
            limits,
          },
          metadataOf(caller),
        ),
      );
    return tierLimitsView(outcome.reply.currency, outcome.reply.tier, outcome.reply.limits, true);
  }
}

function currencyOf(code: string): Currency {
  const currency = findCurrency(code);
  if (currency === undefined) {
    throw ProblemException.notFound('currency_unknown', `${code} is not a currency the ledger knows.`);
  }
  return currency;
}
