/** Rules that span objects of the config: references between apps, add-ons and services; plugin configs. */
import type { z } from 'zod';
import { loadPluginSchema, listPlugins } from '../gateway/plugins/catalog.js';
import { pathToString, type Diagnostic } from './diagnostics.js';
import { didYouMean } from './did-you-mean.js';
import { positionOf, type ParsedDocument } from './document.js';
import type { ResolvedApp } from './load.js';
import type { PluginsConfig, SpaceConfig } from './schema.js';
import type { LeftOut } from './valid-parts.js';
import { describeIssue, knownKeysAt } from './zod-diagnostics.js';

type Path = (string | number)[];

/** Variables the runtime sets after the config vars on every dyno (runtime/runtime.ts), and what sets them. */
const PLATFORM_VARS: Record<string, string> = {
  PORT: 'the platform (the port each dyno must bind)',
  DYNO: 'the platform (web.1, worker.2...)',
  APP_NAME: 'the platform',
  INTERNAL_API_KEY: "the platform (the space's internal key)",
};

/**
 * The rules across objects. `leftOut` names apps and add-ons that exist in the file but failed the schema
 * (see valid-parts.ts): a reference to one is not an error here, the schema error already is.
 */
export async function crossChecks(
  config: SpaceConfig,
  apps: Record<string, ResolvedApp>,
  parsed: ParsedDocument,
  leftOut: LeftOut = { apps: new Set(), addons: new Set() },
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const err = (path: Path, message: string, hint?: string, key?: string) =>
    out.push({ severity: 'error', ...positionOf(parsed, path, key), path: pathToString(path), message, hint });
  // Suggestions and lists name every object of the file, those left out for schema errors too.
  const appNames = [...Object.keys(apps), ...leftOut.apps];
  const addonNames = [...Object.keys(config.addons), ...leftOut.addons];

  for (const [name, app] of Object.entries(apps)) {
    for (const type of Object.keys(config.apps[name]!.scale ?? {})) {
      if (!(type in app.processes)) {
        const guess = didYouMean(type, Object.keys(app.processes));
        err(['apps', name, 'scale'], `process type "${type}" is not defined`, guess ? `did you mean "${guess}"?` : `defined types: ${Object.keys(app.processes).join(', ') || 'none'}`, type);
      }
    }
    const envSeen = new Map<string, string>();
    app.addons.forEach((att, i) => {
      const addon = typeof att === 'string' ? att : att.name;
      const path: Path = ['apps', name, 'addons', i];
      if (!(addon in config.addons)) {
        if (leftOut.addons.has(addon)) return;
        const guess = didYouMean(addon, addonNames);
        err(path, `no add-on named "${addon}"`, guess ? `did you mean "${guess}"?` : `declare it under addons:${addonNames.length ? ` (declared: ${addonNames.join(', ')})` : ''}`);
        return;
      }
      const type = config.addons[addon]!.type;
      const variable = typeof att === 'string' ? (type === 'postgres' ? 'DATABASE_URL' : 'KAFKA_URL') : `${att.as}_URL`;
      const prev = envSeen.get(variable);
      if (prev) err(path, `both "${prev}" and "${addon}" would set ${variable}`, 'attach one of them under another name: { name: ..., as: OTHER }');
      envSeen.set(variable, addon);
    });
    // Only web defaults to a dyno: an app whose processes are all other types (`server:`, `api:`) would be up
    // with nothing running and no route, silently.
    const types = Object.keys(app.processes).filter((t) => t !== 'release');
    if (types.length > 0 && !('web' in app.processes) && !config.apps[name]!.scale) {
      out.push({
        severity: 'warning',
        ...positionOf(parsed, ['apps', name, ...(config.apps[name]!.processes ? ['processes'] : [])]),
        path: `apps.${name}.processes`,
        message: `no process type of ${name} runs: only web gets a dyno by default (and a route through the gateway), and ${name} has ${types.join(', ')}`,
        hint: `call the process that serves HTTP on $PORT web, or set scale: { ${types[0]}: 1 }`,
      });
    }
    // The platform sets these last on every dyno: a config var of the same name would silently not apply.
    for (const key of Object.keys(config.apps[name]!.env ?? {})) {
      const by = PLATFORM_VARS[key] ?? (envSeen.has(key) ? `the add-on ${envSeen.get(key)} attached to ${name}` : undefined);
      if (by) err(['apps', name, 'env'], `${key} is set by ${by}; a config var cannot override it`, `remove ${key} from env`, key);
    }
  }

  const gw = config.gateway;
  for (const [sname, svc] of Object.entries(gw.services)) {
    const path: Path = ['gateway', 'services', sname];
    if (svc.app && svc.url) err(path, 'a service has either app or url, not both', 'remove one of them');
    if (!svc.app && !svc.url) err(path, 'a service needs app (an app of this space) or url (an upstream)', 'add app: <app name>');
    if (svc.app) {
      const app = apps[svc.app];
      if (!app) {
        if (!leftOut.apps.has(svc.app)) {
          const guess = didYouMean(svc.app, appNames);
          err([...path, 'app'], `no app named "${svc.app}"`, guess ? `did you mean "${guess}"?` : `apps: ${appNames.join(', ') || 'none'}`);
        }
      } else {
        if (app.internal && !svc.expose_internal && Object.keys(svc.routes).length > 0) {
          err([...path, 'app'], `app "${svc.app}" is internal: no public route may reach it`, 'reach it from other apps through its <APP>_URL, or set expose_internal: true on this service to publish these routes through the gateway');
        }
        if (!(svc.process in app.processes)) {
          const guess = didYouMean(svc.process, Object.keys(app.processes));
          err([...path, 'process'], `app "${svc.app}" has no process type "${svc.process}"`, guess ? `did you mean "${guess}"?` : undefined);
        }
      }
    }
    for (const [rname, route] of Object.entries(svc.routes)) {
      const rpath: Path = [...path, 'routes', rname];
      route.paths.forEach((p, i) => {
        if (p.startsWith('~')) {
          try {
            new RegExp(p.slice(1));
          } catch (e) {
            err([...rpath, 'paths', i], `invalid regex: ${(e as Error).message}`, 'regex paths start with ~, like ~/users/\\d+$');
          }
        }
      });
      await checkPlugins(route.plugins, [...rpath, 'plugins'], err);
    }
    await checkPlugins(svc.plugins, [...path, 'plugins'], err);
  }
  // A key (or basic-auth username) identifies one consumer: given to two, the gateway picked one of them without
  // a word, and that one's rate limits and acl groups applied to the other's requests.
  const keyOwner = new Map<string, string>();
  const basicOwner = new Map<string, string>();
  for (const [cname, consumer] of Object.entries(gw.consumers)) {
    consumer.keys.forEach((k, i) => {
      const first = keyOwner.get(k);
      if (first !== undefined) err(['gateway', 'consumers', cname, 'keys', i], first === cname ? 'this key is listed twice' : `consumer ${first} has this key too: a key identifies one consumer`, 'give each consumer its own keys');
      else keyOwner.set(k, cname);
    });
    consumer.basic.forEach((b, i) => {
      const first = basicOwner.get(b.username);
      if (first !== undefined) err(['gateway', 'consumers', cname, 'basic', i, 'username'], `basic-auth username "${b.username}" is ${first === cname ? 'listed twice' : `consumer ${first}'s too`}: a username identifies one consumer`, 'give each credential its own username');
      else basicOwner.set(b.username, cname);
    });
    await checkPlugins(consumer.plugins, ['gateway', 'consumers', cname, 'plugins'], err);
  }
  await checkPlugins(gw.plugins, ['gateway', 'plugins'], err);

  const seen = new Set<string>();
  config.moved.forEach((m, i) => {
    for (const field of ['from', 'to'] as const) {
      if (!/^(apps|addons|topics|gateway\.services|gateway\.routes)\.[^.]+/.test(m[field]) && !/^addons\.[^.]+\.topics\.[^.]+$/.test(m[field])) {
        err(['moved', i, field], `"${m[field]}" is not a resource address`, 'addresses look like apps.<name>, addons.<name>, addons.<kafka>.topics.<name>, gateway.services.<name>');
      }
    }
    if (seen.has(m.from)) err(['moved', i, 'from'], `"${m.from}" is moved twice`);
    seen.add(m.from);
    // As Terraform's "Moved object still exists": the move would take the running resource to the new address
    // and create the old one again, empty (an app's releases and config:set values would go with the move).
    if (m.from !== m.to && declared(config, m.from)) {
      err(['moved', i, 'from'], `${m.from} is still declared in this file: the move would hand its state to ${m.to} and create ${m.from} again, empty`, `rename it to ${m.to} in the file, or remove this moved: entry`);
    }
  });
  return out;
}

/** Whether the file declares the resource at `address` (apps.x, addons.x, addons.x.topics.t, gateway.services.s...). */
function declared(config: SpaceConfig, address: string): boolean {
  const [kind, a, b, c, d] = address.split('.');
  if (kind === 'apps' && b === undefined) return Object.hasOwn(config.apps, a!);
  if (kind === 'addons' && b === undefined) return Object.hasOwn(config.addons, a!);
  if (kind === 'addons' && b === 'topics' && d === undefined) {
    const addon = config.addons[a!];
    return addon?.type === 'kafka' && Object.hasOwn(addon.topics, c!);
  }
  if (kind !== 'gateway') return false;
  const gw = config.gateway;
  if (a === 'services' && c === undefined) return Object.hasOwn(gw.services, b!);
  if (a === 'services' && c === 'routes' && address.split('.').length === 5) return Object.hasOwn(gw.services[b!]?.routes ?? {}, d!);
  if (a === 'consumers' && c === undefined) return Object.hasOwn(gw.consumers, b!);
  return false;
}

async function checkPlugins(
  plugins: PluginsConfig,
  path: Path,
  err: (path: Path, message: string, hint?: string, key?: string) => void,
): Promise<void> {
  for (const [name, conf] of Object.entries(plugins)) {
    const schema = await loadPluginSchema(name);
    if (!schema) {
      const known = listPlugins();
      const guess = didYouMean(name, known);
      err(path, `unknown plugin "${name}"`, guess ? `did you mean "${guess}"?` : `plugins: ${known.join(', ')}`, name);
      continue;
    }
    const r = (schema as z.ZodType).safeParse(conf);
    if (!r.success) {
      for (const issue of r.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          const known = knownKeysAt(issue.path, schema as z.ZodType, conf);
          for (const k of issue.keys) {
            const guess = didYouMean(k, known);
            const hint = guess ? `did you mean "${guess}"?` : known.length ? `fields of ${name}: ${known.join(', ')}` : undefined;
            err([...path, name, ...(issue.path as Path)], `unknown field "${k}" for plugin ${name}`, hint, k);
          }
        } else {
          err([...path, name, ...(issue.path as Path)], `plugin ${name}: ${describeIssue(issue, conf)}`);
        }
      }
    }
  }
}
