import { z } from 'zod';

export const schema = z
  .strictObject({
    per_consumer: z.boolean().default(false).describe('Add a consumer label to request counts. Default: false.'),
    status_code_metrics: z.boolean().default(true).describe('Count requests by status code. Default: true.'),
    latency_metrics: z.boolean().default(true).describe('Latency histograms of requests. Default: true.'),
    bandwidth_metrics: z.boolean().default(false).describe('Kept for Kong compatibility. Default: false.'),
    upstream_health_metrics: z.boolean().default(false).describe('Kept for Kong compatibility. Default: false.'),
  })
  .describe('prometheus: request counts and latencies, exposed on the admin API at /metrics.');

export type PrometheusConfig = z.output<typeof schema>;
