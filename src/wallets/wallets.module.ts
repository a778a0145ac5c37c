import { Module, type OnModuleInit } from '@nestjs/common';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { WalletRecord } from './read-model/wallet.record.js';
import { WalletsSequencedModule } from './wallets.sequenced-module.js';

export const WALLETS_ENTITIES = [WalletRecord];

/** Bank and customer wallets: the registry, tiers and limits, freezes, domestic transfers. */
@Module({
  providers: [WalletsSequencedModule],
  exports: [WalletsSequencedModule],
})
export class WalletsModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly wallets: WalletsSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.wallets);
  }
}
