import { Controller, Get } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import { AllowKinds } from '../../platform/auth/caller.js';
import { Database } from '../../platform/database/database.js';
import { NodeKey } from '../../platform/node-key/node-key.js';
import { inOneSnapshot, verifyLog, type Query } from './log-verifier.js';

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
  async verify() {
    // Two connections on PostgreSQL (the server hashes on two cores); the embedded database has
    // one session, and a second connection would wait for the first's transaction to end.
    const count = this.database.kind === 'postgres' ? 2 : 1;
    const runners: QueryRunner[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const runner = this.database.dataSource.createQueryRunner();
        await runner.connect();
        runners.push(runner);
      }
      const connections: Query[] = runners.map((runner) => (sql, params) => runner.query(sql, params));
      return await inOneSnapshot(connections, () =>
        verifyLog(connections, (keyId) => this.nodeKey.publicKeyFor(keyId)),
      );
    } finally {
      for (const runner of runners) await runner.release();
    }
  }
}
