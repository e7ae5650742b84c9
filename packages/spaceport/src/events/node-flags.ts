/**
 * Node/V8 flags the broker process runs with: the supervisor (embedded.ts) and bench/events.ts both start it so.
 *
 * --min-semi-space-size=8 (MiB): V8 starts the young generation small (about 1 MiB per semi-space) and grows it only
 * when much of it survives; the broker's garbage (requests, responses, promises) dies young, so it stayed small and
 * the broker scavenged 2-4 times a second at 5,000 msg/s (22-23 scavenges per 1,000 produce requests). Each scavenge
 * stops the event loop, and on a busy machine a stop can stretch to tens of ms. With 8 MiB: 3.5-3.8 per 1,000, each
 * a little longer (p50 1.2 against 0.4-0.8 ms), about a third of the total pause time; RSS 54 MiB idle (52 without),
 * 88 MiB peak under produce (77-87 without). docs/events.md has the runs.
 */
export const BROKER_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=8'];
