import { Controller, Get, Query as QueryParam, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedCaller, type Caller } from '../../platform/auth/caller.js';
import { QueryReader } from '../../platform/http/query-reader.js';
import { AUDIT_FILTER_PARAMS, readAuditFilter } from '../events/audit-events.http.controller.js';
import { AuditExport, type ExportFormat } from './audit-export.js';

/** The caller's share of the audit trail as a file (JSON Lines or CSV) with its checkpoints. */
@Controller('v1/audit/export')
export class AuditExportController {
  constructor(private readonly exporter: AuditExport) {}

  @Get()
  async export(
    @QueryParam() query: Record<string, unknown>,
    @AuthenticatedCaller() caller: Caller,
    @Res() res: Response,
  ): Promise<void> {
    const r = new QueryReader(query, [...AUDIT_FILTER_PARAMS, 'format']);
    const filter = readAuditFilter(r);
    const format = (r.text(
      'format',
      (v) => v === 'jsonl' || v === 'csv',
      'format_invalid',
      'must be jsonl or csv',
    ) ?? 'jsonl') as ExportFormat;
    r.done();
    res.status(200);
    res.type(format === 'jsonl' ? 'application/jsonl' : 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="audit-${caller.institution.id}.${format}"`);
    try {
      for await (const line of this.exporter.lines(filter, caller.institution, format)) {
        if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
      }
    } catch (error) {
      // Headers are sent: the truncated body is ended abruptly so a client cannot take it for whole.
      res.destroy(error as Error);
      return;
    }
    res.end();
  }
}
