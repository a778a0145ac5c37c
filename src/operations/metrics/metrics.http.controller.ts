import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../../platform/auth/caller.js';
import { ServiceMetrics } from './service-metrics.js';

/**
 * Prometheus scrape endpoint. Public like /health: it exposes aggregate counts, sizes and times
 * only (no institution, wallet or payment in any label), and scrapers do not sign requests.
 */
@Controller()
@Public()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  async metricsText(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    response.type(contentType).send(body);
  }
}
