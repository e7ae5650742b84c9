/**
 * `spaceport logs` on a space that is not running: the newest lines of `.spaceport/logs/space.log` (and of
 * `space.log.1` when that one file has too few). A failed `up` stops the space and points at `spaceport logs`
 * for the reason, so the reason must stay readable without a control plane. Only node:fs: the command stays fast.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLine } from '../runtime/log-line.js';

export interface FileLogFilter {
  app?: string;
  dyno?: string;
  source?: string;
}

const LINE = /^(\S+) (app|router|spaceport)\[([^\]]*)\]: ?(.*)$/;

/** A line of the file back into its parts; the tag `app.dyno` is split at the app given, else before its dyno. */
export function parseFileLine(text: string, app?: string): LogLine | undefined {
  const m = LINE.exec(text);
  if (!m) return undefined;
  const [, time, source, tag, message] = m as unknown as [string, string, LogLine['source'], string, string];
  let a = '';
  let dyno = tag;
  if (app && tag.startsWith(app + '.')) [a, dyno] = [app, tag.slice(app.length + 1)];
  else if (tag.includes('.') && !/^[a-z][a-z0-9_-]*\.\d+$/.test(tag)) {
    // `clock.worker.1`, `addons.db.postgres`: the dyno is a `<type>.<n>` or the last word (a bare `web.1` is a dyno)
    const typed = /^(.+)\.([a-z][a-z0-9_-]*\.\d+)$/.exec(tag);
    const cut = typed ? typed[1]!.length : tag.lastIndexOf('.');
    [a, dyno] = [tag.slice(0, cut), tag.slice(cut + 1)];
  }
  return { time, source, app: a, dyno, message };
}

function matches(f: FileLogFilter, l: LogLine): boolean {
  return (!f.app || l.app === f.app) && (!f.dyno || l.dyno === f.dyno || l.dyno.startsWith(f.dyno + '.')) && (!f.source || l.source === f.source);
}

/** The newest `n` lines that pass the filter, oldest first; `file` names where they came from. */
export function tailLogFile(stateDir: string, n: number, filter: FileLogFilter = {}): { lines: LogLine[]; file?: string } {
  const current = join(stateDir, 'logs', 'space.log');
  if (!existsSync(current)) return { lines: [] };
  const out: LogLine[] = [];
  for (const path of [current, current + '.1']) {
    if (out.length >= n || !existsSync(path)) break;
    const texts = readFileSync(path, 'utf8').split('\n');
    const picked: LogLine[] = [];
    for (let i = texts.length - 1; i >= 0 && out.length + picked.length < n; i--) {
      const l = parseFileLine(texts[i]!, filter.app);
      if (l && matches(filter, l)) picked.push(l);
    }
    out.push(...picked);
  }
  return { lines: out.slice(0, n).reverse(), file: current };
}
