import { Controller, Get } from '@nestjs/common';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { institutionView } from '../institution.view.js';
import { InstitutionsSequencedModule } from '../institutions.sequenced-module.js';

/**
 * Who the server takes the caller to be: for a bank wiring up request signing, the first call to
 * make. It answers only to a valid signature, and shows what that signature covered.
 */
@Controller('v1/me')
export class WhoAmIController {
  constructor(private readonly institutions: InstitutionsSequencedModule) {}

  @Get()
  whoami(@AuthenticatedCaller() caller: Caller) {
    const institution = this.institutions.state.institutions.get(caller.institution.id)!;
    return {
      institution: institutionView(institution),
      signature: {
        keyId: caller.keyId,
        label: caller.signature.label,
        created: new Date(caller.signature.created * 1000).toISOString(),
        coveredComponents: caller.signature.coveredComponents,
      },
    };
  }
}
