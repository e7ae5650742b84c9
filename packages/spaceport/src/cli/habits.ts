/**
 * Commands a Heroku, Terraform, Kong or Kafka user types from habit that Spaceport spells otherwise, or has no need
 * of: an unknown command among them is told what to type instead of commander's nearest-spelling guess (which for
 * `apps` was `apply`).
 */
/** What a space starts as (the same lines validate suggests for an empty file). */
const STARTER =
  'a space is one spaceport.yaml, such as\n  name: my-space\n  apps:\n    web: { processes: { web: node server.js } }   # ./web/server.js listens on $PORT\n' +
  'then `spaceport validate` and `spaceport up -d` (examples/hello in the repository is a small one)';

const HABITS: Record<string, string> = {
  // Heroku
  apps: '`spaceport status` lists the apps of the space (apps are declared under apps: in spaceport.yaml)',
  'apps:info': '`spaceport status` shows the apps, their releases and dynos, and the gateway URL',
  info: '`spaceport status` shows the apps, their releases and dynos, and the gateway URL',
  open: '`spaceport status` prints the gateway URL (`spaceport output` the outputs:), to open in a browser',
  create: `there is nothing to create: ${STARTER}`,
  'apps:create': 'an app is an entry under apps: in spaceport.yaml; `spaceport apply` starts it in a running space',
  'apps:destroy': 'take the app out of spaceport.yaml and run `spaceport apply`; `spaceport destroy` removes the whole space',
  deploy: '`spaceport apply` builds and releases every app whose source or settings changed',
  push: '`spaceport apply` builds and releases every app whose source or settings changed (there is no git push)',
  'addons:create': 'declare the add-on under addons: in spaceport.yaml and attach it to apps (addons: [name]), then `spaceport apply`',
  'addons:destroy': 'take the add-on out of spaceport.yaml and run `spaceport apply`',
  'addons:info': '`spaceport addons` lists each add-on with its state and attachments; `spaceport pg:info` for Postgres',
  pg: '`spaceport pg:info`',
  'kafka:topics': '`spaceport topics`',
  'kafka:topics:create': '`spaceport topics:create NAME`',
  'kafka:topics:destroy': '`spaceport topics:delete NAME`',
  'kafka:topics:tail': '`spaceport topics:tail NAME`',
  'kafka:consumer-groups': '`spaceport groups`',
  'kafka:info': '`spaceport topics` and `spaceport groups`; `spaceport addons` for the broker\'s URL',
  start: '`spaceport up` (`-d` to run it in the background)',
  stop: '`spaceport down` stops the space; `spaceport ps:stop DYNO` one dyno',
  // Terraform
  init: `there is nothing to initialise: ${STARTER}`,
  show: '`spaceport state show ADDRESS` (`spaceport state list` names them), or `spaceport plan` for what would change',
  refresh: '`spaceport plan` reads the running space first, and lists what changed outside Spaceport',
  version: '`spaceport --version`',
  fmt: 'there is no formatter; `spaceport validate` checks the file',
  workspace: 'a space is one directory with its spaceport.yaml: another space goes in a directory of its own',
  // Kong
  services: '`spaceport routes` lists services and routes; the Kong-compatible admin API is at the address `spaceport status` shows',
  consumers: 'consumers are under gateway.consumers in spaceport.yaml; the Kong-compatible admin API is at the address `spaceport status` shows',
  plugins: 'plugins are set in spaceport.yaml (gateway.plugins, or per service, route or consumer); `spaceport routes` shows them',
  reload: '`spaceport apply` reconfigures the gateway without a restart',
};

/** The hint for an unknown command typed from habit, or undefined. */
export function habitHint(command: string): string | undefined {
  return Object.hasOwn(HABITS, command) ? HABITS[command] : undefined;
}
