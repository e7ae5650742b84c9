/**
 * An external database (`url:`): nothing to run, but `up` checks that it answers before apps start, and says
 * clearly which host did not (the password is never shown).
 */
import type { ResolvedApp } from '../../config/load.js';
import type { PlatformService, ServiceContext } from '../../control/service.js';
import { attachmentVars, envForAttachments } from './attachments.js';
import { withClient } from './client.js';
import { hostOf, maskUrl } from './url.js';

export class ExternalPostgres implements PlatformService {
  readonly name: string;
  private phase: 'stopped' | 'up' | 'failed' = 'stopped';
  private version: string | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    readonly addon: string,
    private readonly target: string,
  ) {
    this.name = `addons.${addon}`;
  }

  url(): string {
    return this.target;
  }

  async start(): Promise<void> {
    const masked = maskUrl(this.target);
    let proto = '';
    try {
      proto = new URL(this.target).protocol;
    } catch {
      // reported below
    }
    if (proto !== 'postgres:' && proto !== 'postgresql:') {
      this.phase = 'failed';
      throw new Error(`${this.name}: url must look like postgres://user:password@host:5432/database (got ${masked})`);
    }
    try {
      this.version = await withClient(this.target, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v, 5000);
    } catch (err) {
      this.phase = 'failed';
      const why = scrub((err as Error).message, this.target);
      throw new Error(
        `${this.name}: the external database at ${hostOf(this.target)} does not answer (${why}); url: ${masked}. ` +
          `Check that the server runs and the url (host, port, user, password, database) is right`,
      );
    }
    this.phase = 'up';
    this.ctx.log.write({ source: 'spaceport', app: this.name, dyno: 'postgres', message: `External PostgreSQL ${this.version ?? ''} answers at ${hostOf(this.target)}` });
  }

  async stop(): Promise<void> {
    this.phase = 'stopped';
  }

  envFor(app: ResolvedApp): Record<string, string> {
    return envForAttachments(app, this.addon, this.target);
  }

  async readyFor(app: ResolvedApp): Promise<void> {
    if (attachmentVars(app, this.addon).length > 0 && this.phase !== 'up') throw new Error(`${this.name} is not reachable`);
  }

  status(): Record<string, unknown> {
    return { type: 'postgres', embedded: false, external: true, state: this.phase, version: this.version, url: maskUrl(this.target) };
  }
}

/** Removes the password from a driver message, should one ever echo it. */
function scrub(message: string, url: string): string {
  try {
    const pw = decodeURIComponent(new URL(url).password);
    return pw ? message.split(pw).join('*****') : message;
  } catch {
    return message;
  }
}
