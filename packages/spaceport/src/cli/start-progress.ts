/**
 * The progress line of a foreground `up` on a terminal: builds done, dynos up and the latest platform event,
 * redrawn under the scrolling logs while the space starts. It reads only the log stream (the one channel
 * every component writes to), so it knows no subsystem by name. Never drawn when output is not a TTY.
 */
import type { Space } from '../config/load.js';
import type { LogLine } from '../runtime/log-line.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class StartProgress {
  private readonly buildsTotal: number;
  private readonly dynosTotal: number;
  private builds = 0;
  private readonly up = new Set<string>();
  private last = 'starting the control plane';
  private frame = 0;
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(
    private readonly space: Space,
    private readonly out: NodeJS.WriteStream,
  ) {
    const apps = Object.values(space.config.apps);
    this.buildsTotal = apps.filter((a) => a.build).length;
    this.dynosTotal = apps.reduce((n, a) => n + Object.entries(a.scale).reduce((m, [t, c]) => m + (t === 'release' ? 0 : c), 0), 0);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.draw();
    }, 100);
    this.timer.unref();
    this.draw();
  }

  /** Writes a log line above the progress line. */
  print(text: string, line: LogLine): void {
    this.observe(line);
    this.clear();
    this.out.write(`${text}\n`);
    this.draw();
  }

  /** Removes the line for good (the space is up, or failed). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  /** The text of the line, without the spinner (for tests). */
  describe(): string {
    const secs = ((Date.now() - this.startedAt) / 1000).toFixed(0);
    const parts = [`${this.space.config.name} ${secs}s`];
    if (this.buildsTotal) parts.push(`builds ${this.builds}/${this.buildsTotal}`);
    parts.push(`dynos ${Math.min(this.up.size, this.dynosTotal)}/${this.dynosTotal} up`);
    parts.push(this.last);
    return parts.join(' · ');
  }

  observe(line: LogLine): void {
    if (line.source !== 'spaceport') return;
    const who = line.app ? `${line.app} ${line.dyno}` : line.dyno;
    if (line.message === 'Build succeeded') this.builds += 1;
    if (line.message === 'State changed from starting to up') this.up.add(`${line.app}/${line.dyno}`);
    if (/^State changed from up to (crashed|down)/.test(line.message)) this.up.delete(`${line.app}/${line.dyno}`);
    this.last = `${who}: ${line.message}`;
  }

  private draw(): void {
    if (!this.timer) return;
    const width = this.out.columns ?? 100;
    const text = `${FRAMES[this.frame]} ${this.describe()}`;
    this.out.write(`\r\x1b[2K\x1b[36m${text.length > width - 1 ? text.slice(0, width - 2) + '…' : text}\x1b[0m`);
    this.shown = true;
  }

  private clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}
