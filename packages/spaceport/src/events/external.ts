/** `addons.<name>: { type: kafka, url: kafka://... }`: an external cluster; apps get its URL, nothing runs here. */
import type { ResolvedApp } from '../config/load.js';
import type { PlatformService } from '../control/service.js';
import { kafkaEnvFor } from './attachments.js';

export class ExternalKafka implements PlatformService {
  readonly name: string;
  constructor(
    readonly addon: string,
    readonly url: string,
  ) {
    this.name = `addons.${addon}`;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  envFor(app: ResolvedApp): Record<string, string> {
    return kafkaEnvFor(app, this.addon, this.url);
  }
  status(): Record<string, unknown> {
    // Credentials in a URL stay out of status output.
    // `external` as the other add-ons say it (Postgres, the embedded broker), so readers need no `embedded === false`.
    return { type: 'kafka', embedded: false, external: true, state: 'external', url: this.url.replace(/\/\/[^@/]*@/, '//***@') };
  }
}
