/** One line of the space's log stream: `2026-11-21T17:00:00.123Z app[web.1]: message`. */
export interface LogLine {
  /** ISO timestamp with milliseconds. */
  time: string;
  /** `app` (a dyno's output), `router` (gateway and internal router), `spaceport` (platform events). */
  source: 'app' | 'router' | 'spaceport';
  /** App name, or the platform component (`gateway`, `addons.db`) for spaceport lines. */
  app: string;
  /** Dyno name such as `web.1`, `run.1`, `release`, or a component such as `router`, `broker`, `postgres`. */
  dyno: string;
  message: string;
}

/** Where every component sends its lines; the control plane fans them out to buffer, file and followers. */
export interface LogSink {
  write(line: Omit<LogLine, 'time'> & { time?: string }): void;
}

/** Formats a line as Heroku does; the app name is included when the stream mixes apps. */
export function formatLogLine(l: LogLine, withApp = true): string {
  const who = withApp && l.app ? `${l.source}[${l.app}.${l.dyno}]` : `${l.source}[${l.dyno}]`;
  return `${l.time} ${who}: ${l.message}`;
}
