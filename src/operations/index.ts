/** The operations module's public surface: readiness, metrics. */
export { OperationsModule } from './operations.module.js';
export { ServiceMetrics } from './metrics/service-metrics.js';
