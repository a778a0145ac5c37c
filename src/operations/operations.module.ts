import { Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/index.js';
import { MetricsController } from './metrics/metrics.http.controller.js';
import { ServiceMetrics } from './metrics/service-metrics.js';
import { ReadinessCheck } from './readiness/readiness.check.js';
import { ReadinessController } from './readiness/readiness.http.controller.js';

/** What an operator runs the service by: readiness and Prometheus metrics (liveness: /health). */
@Module({
  imports: [PaymentsModule],
  controllers: [ReadinessController, MetricsController],
  providers: [ServiceMetrics, ReadinessCheck],
  exports: [ServiceMetrics],
})
export class OperationsModule {}
