/** The Kafka apps' settings, read from the environment like any Heroku app. */

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

/** A tuning knob given as a config var: a whole number in [min, max], or the default when unset. */
export function intSetting(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name}=${value}: give a whole number from ${min} to ${max} (default ${fallback})`);
  return n;
}
