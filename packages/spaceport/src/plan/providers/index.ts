/** Every provider of a space, in one list: the reconciler gets them from here and knows none by name. */
import type { Space } from '../../config/load.js';
import type { AnyProvider } from '../types.js';
import { AddonProvider } from './addon.js';
import { AppProvider } from './app.js';
import { LiveApps, type Clients } from './clients.js';
import { ConfigProvider } from './config.js';
import { FormationProvider } from './formation.js';
import { GatewayLive } from './gateway-live.js';
import { ConsumerProvider, PluginProvider, RouteProvider, ServiceProvider } from './gateway.js';
import { TopicProvider } from './topic.js';

export interface ProviderSet {
  providers: AnyProvider<Space>[];
  /** Forgets cached live reads, so the next plan refreshes. */
  reset(): void;
}

export function spaceProviders(clients: Clients): ProviderSet {
  const apps = new LiveApps(clients.control);
  const gateway = new GatewayLive(clients.admin);
  const providers = [
    new AddonProvider(clients.control, clients.urlKey ?? ''),
    new TopicProvider(clients.control),
    new AppProvider(clients.control, apps),
    new ConfigProvider(clients.control, apps),
    new FormationProvider(clients.control, apps),
    new ServiceProvider(gateway),
    new RouteProvider(gateway),
    new ConsumerProvider(gateway),
    new PluginProvider(gateway),
  ] as AnyProvider<Space>[];
  return {
    providers,
    reset() {
      apps.reset();
      gateway.reset();
    },
  };
}
