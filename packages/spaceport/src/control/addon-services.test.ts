import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControlRouter } from './router-types.js';
import type { PlatformService, ServiceContext } from './service.js';
import { addonServices } from './addon-services.js';

class Fake implements PlatformService {
  constructor(
    readonly name: string,
    readonly url: string | undefined,
  ) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  status(): Record<string, unknown> {
    return {};
  }
}

/** Only what the factory reads: the control API (registry key) and the file's add-ons. */
function context(control: ControlRouter, addons: Record<string, { type: string; url?: string }>): ServiceContext {
  return { control, space: { config: { addons } } } as unknown as ServiceContext;
}
const router = (): ControlRouter => ({ add: () => {} });

test('one service per add-on of the type, served by routes registered once per control API, even with none', () => {
  const registered: Map<string, Fake>[] = [];
  const factory = addonServices('kafka', (_ctx, name, addon) => new Fake(`addons.${name}`, addon.url), (_ctx, services) => registered.push(services));
  const control = router();
  assert.deepEqual(factory(context(control, { db: { type: 'postgres' } })), []);
  assert.equal(registered.length, 1, 'the routes exist with no kafka add-on (they say why)');
  assert.equal(registered[0]!.size, 0);

  const ctx = context(control, { db: { type: 'postgres' }, events: { type: 'kafka' }, remote: { type: 'kafka', url: 'kafka://k:9092' } });
  const built = factory(ctx) as Fake[];
  assert.deepEqual(built.map((s) => [s.name, s.url]), [['addons.events', undefined], ['addons.remote', 'kafka://k:9092']]);
  assert.equal(registered.length, 1, 'same control API: same routes');
  assert.deepEqual([...registered[0]!.keys()], ['events', 'remote']);

  factory(context(router(), { events: { type: 'kafka' } }));
  assert.equal(registered.length, 2, 'another control API gets its own routes and registry');
  assert.deepEqual([...registered[1]!.keys()], ['events']);
});

test('addon() adds one add-on to the routes of a running space, forget() drops it; another type is not built', () => {
  const registered: Map<string, Fake>[] = [];
  const factory = addonServices('postgres', (_ctx, name) => new Fake(`addons.${name}`, undefined), (_ctx, services) => registered.push(services));
  const control = router();
  factory(context(control, {}));
  const later = context(control, { db: { type: 'postgres' }, events: { type: 'kafka' } });
  assert.equal(factory.addon!(later, 'events'), undefined);
  assert.equal(factory.addon!(later, 'missing'), undefined);
  assert.equal(factory.addon!(later, 'db')?.name, 'addons.db');
  assert.deepEqual([...registered[0]!.keys()], ['db']);
  factory.forget!(later, 'db');
  assert.deepEqual([...registered[0]!.keys()], []);
  assert.equal(registered.length, 1);
});
