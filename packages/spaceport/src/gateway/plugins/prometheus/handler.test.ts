import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create } from './handler.js';
import { schema } from './schema.js';
import { testContext, testEnv } from '../testing.js';
import { renderPrometheus } from '../../metrics.js';

test('counts requests by service, route and code, with a latency histogram', () => {
  const env = testEnv();
  const p = create(schema.parse({ per_consumer: true }), env);
  for (const status of [200, 200, 404]) {
    const ctx = testContext();
    ctx.setStatus(status);
    p.log!(ctx);
  }
  const s = env.metrics.snapshot();
  assert.equal(s['kong_http_requests_total{service="service",route="route",code="200",source="service",consumer=""}'], 2);
  assert.equal(s['kong_request_latency_ms_count{service="service",route="route"}'], 3);
  const text = renderPrometheus(s);
  assert.match(text, /# TYPE kong_http_requests_total counter/);
  assert.match(text, /# TYPE kong_request_latency_ms histogram/);
  assert.match(text, /kong_request_latency_ms_bucket\{service="service",route="route",le="\+Inf"\} 3/);
});
