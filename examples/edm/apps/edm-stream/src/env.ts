/** The relay's settings, read from the environment like any Heroku app. */

/** `kafka://host:port,kafka://host2:port` (or without the scheme) → kafkajs broker list. */
export function kafkaBrokers(url: string | undefined): string[] {
  if (!url) throw new Error('KAFKA_URL is not set: attach a kafka add-on to this app (addons: [events])');
  return url
    .split(',')
    .map((s) => s.trim().replace(/^[a-z+]+:\/\//i, '').replace(/\/.*$/, ''))
    .filter((s) => s.length > 0);
}

export function port(value: string | undefined): number {
  const n = Number(value ?? 5000);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`PORT=${value} is not a port number`);
  return n;
}
