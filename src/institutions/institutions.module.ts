import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SequencerHost } from '../platform/sequencer/sequencer.host.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { SignatureGuard } from './auth/signature.guard.js';
import { InstitutionsBootstrap } from './bootstrap/institutions.bootstrap.js';
import { RegisterInstitutionHandler } from './commands/register-institution/register-institution.handler.js';
import { RegisterInstitutionController } from './commands/register-institution/register-institution.http.controller.js';
import { InstitutionKeysController } from './commands/rotate-key/institution-keys.http.controller.js';
import { RotateKeyHandler, SetRoleHandler } from './commands/rotate-key/rotate-key.handler.js';
import { InstitutionsSequencedModule } from './institutions.sequenced-module.js';
import { DirectoryController } from './queries/directory.http.controller.js';
import { WhoAmIController } from './queries/whoami.http.controller.js';
import {
  GetInstitutionHandler,
  ListInstitutionsHandler,
  ListJurisdictionsHandler,
} from './queries/directory.queries.js';

/** Registry of institutions and jurisdictions, their keys and roles; request signatures (global guard). */
@Module({
  imports: [LedgerModule],
  controllers: [
    RegisterInstitutionController,
    InstitutionKeysController,
    DirectoryController,
    WhoAmIController,
  ],
  providers: [
    InstitutionsSequencedModule,
    InstitutionsBootstrap,
    { provide: APP_GUARD, useClass: SignatureGuard },
    RegisterInstitutionHandler,
    RotateKeyHandler,
    SetRoleHandler,
    ListInstitutionsHandler,
    GetInstitutionHandler,
    ListJurisdictionsHandler,
  ],
  exports: [InstitutionsSequencedModule, InstitutionsBootstrap],
})
export class InstitutionsModule implements OnModuleInit {
  constructor(
    private readonly sequencer: SequencerHost,
    private readonly institutions: InstitutionsSequencedModule,
  ) {}

  onModuleInit(): void {
    this.sequencer.register(this.institutions);
    this.sequencer.useScopeDirectory(this.institutions);
  }
}
