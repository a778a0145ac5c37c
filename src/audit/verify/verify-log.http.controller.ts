import { Controller, Get } from '@nestjs/common';
import { AllowKinds } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { NodeKey } from '../../platform/node-key/node-key.js';
import { verifyLog } from './log-verifier.js';

/**
 * Re-hashes the whole log and checks every checkpoint's signature. The answer names positions and
 * the kind of break only, never content, so every reader of the audit trail may ask.
 */
@Controller('v1/audit/verify')
@AllowKinds('operator', 'regulator', 'central_bank')
export class VerifyLogController {
  constructor(
    private readonly database: Database,
    private readonly nodeKey: NodeKey,
  ) {}

  @Get()
  verify() {
    const dataSource = this.database.dataSource;
    return verifyLog(
      (sql, params) => dataSource.query(sql, params),
      (keyId) => (keyId === this.nodeKey.keyId ? this.nodeKey.publicKey : null),
    );
  }
}
