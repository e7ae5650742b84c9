/**
 * `spaceport destroy`: shows what would go, asks, stops the whole space and forgets every resource. Data
 * stays (databases in `.spaceport/postgres/<addon>`, topics in `.spaceport/events/<addon>`) unless
 * --include-data, so a destroy by mistake loses no rows or records.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { CliError } from '../cli/errors.js';
import { join, relative } from 'node:path';
import { useColour } from '../cli/format.js';
import { confirm } from './cli-apply.js';
import { visibleChanges } from './plan.js';
import { renderPlan, summarize } from './render.js';
import { openSession, parseTimeout, planSession } from './session.js';
import { pidAlive as alive } from '../runtime/proc-stat.js';

export interface DestroyFlags {
  file?: string;
  autoApprove?: boolean;
  includeData?: boolean;
  lockTimeout?: string;
  /** The space's name, Heroku's `--confirm NAME`: the consent --include-data needs (typed at a prompt otherwise). */
  confirm?: string;
  /** `--target`: destroy only these and what depends on them (cli-destroy-target.ts). */
  target?: string[];
}

/**
 * The consent to go on, or false when the user said no. Deleting data (--include-data) takes the space's name,
 * Heroku-style: typed on a terminal or passed as --confirm NAME; --auto-approve is not enough for it, since a
 * script that had it for a plain destroy must not delete databases by adding one flag. A plain destroy takes
 * 'yes' (Terraform's question) or --auto-approve; --confirm NAME does for it too.
 */
export async function consent(flags: DestroyFlags, name: string, question: string, what: string): Promise<boolean> {
  if (flags.includeData || flags.confirm !== undefined) {
    const { confirmName } = await import('../cli/confirm-name.js');
    await confirmName({ given: flags.confirm, name, kind: 'space', what, command: `spaceport destroy${flags.includeData ? ' --include-data' : ''}` });
    return true;
  }
  return Boolean(flags.autoApprove) || confirm(question, 'destroy');
}

/**
 * Deletes the space's add-on data (destroy --include-data): each embedded database through the Postgres
 * add-on's own `destroyPostgresData` (its directory, credentials and port in state; it refuses while the
 * server runs), then the broker data and backups. Returns the directories removed.
 */
async function deleteData(store: import('../state/store.js').StateStore, stateDir: string): Promise<string[]> {
  const { destroyPostgresData } = await import('../addons/postgres/index.js');
  const removed: string[] = [];
  const dbs = new Set(Object.keys((store.read().sections.postgres as Record<string, unknown> | undefined) ?? {}));
  const pgDir = join(stateDir, 'postgres');
  if (existsSync(pgDir)) for (const d of readdirSync(pgDir)) dbs.add(d);
  for (const name of dbs) {
    const r = destroyPostgresData(store, stateDir, name);
    if (r.removed) removed.push(r.removed);
  }
  for (const d of ['postgres', 'events', 'backups'].map((x) => join(stateDir, x)).filter(existsSync)) {
    rmSync(d, { recursive: true, force: true });
    removed.push(d);
  }
  return removed;
}

/** The space's `name:` as written (a stopped space's file is not validated: a broken one must not block destroy). */
async function spaceName(file: string): Promise<string> {
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch {
    doc = undefined;
  }
  const name = (doc as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || !name) throw new CliError(`${file} names no space (name: is missing), so there is no name to confirm with; add it, then run destroy again`);
  return name;
}

/** A stopped space has nothing running to remove: destroy forgets its resources (and data, if asked). */
async function destroyStopped(flags: DestroyFlags): Promise<number> {
  const { locateSpace } = await import('../cli/space.js');
  const { StateStore } = await import('../state/store.js');
  const paths = locateSpace(flags.file);
  const store = new StateStore(paths.stateDir);
  const n = Object.keys(store.read().resources).length;
  console.log(`The space in ${paths.dir} is not running: ${n} recorded resource(s) will be forgotten${flags.includeData ? ', and its database and topic data deleted' : ''}.`);
  if (n === 0 && !flags.includeData) {
    // Nothing recorded (never started here, or destroyed already): no question to ask, no state to write.
    console.log('Nothing to destroy.');
    return 0;
  }
  // The name is asked for only when data goes (or --confirm is given): a plain destroy needs no readable file.
  const name = flags.includeData || flags.confirm !== undefined ? await spaceName(paths.file) : '';
  const what = `This forgets ${n} recorded resource(s) of the space ${name}${flags.includeData ? ' and deletes its databases and topics with their data' : ''}.`;
  if (!(await consent(flags, name, '\nDo you really want to destroy it?', what))) {
    console.log('\nDestroy cancelled.');
    return 1;
  }
  // A control plane killed with SIGKILL leaves its dynos running: stop them, as down does, before forgetting them.
  const { reapLeftovers } = await import('../runtime/process-recorder.js');
  const reaped = await reapLeftovers(store);
  if (reaped.length) console.log(`Killed ${reaped.length} process group(s) a stopped control plane left behind: ${reaped.join(', ')}`);
  store.update((st) => {
    st.resources = {};
    st.outputs = {};
  });
  rmSync(join(paths.stateDir, 'builds'), { recursive: true, force: true });
  if (flags.includeData) await deleteData(store, paths.stateDir);
  console.log(`\nDestroy complete! Resources: ${n} destroyed.`);
  return 0;
}

export async function runDestroy(flags: DestroyFlags): Promise<number> {
  if (flags.target?.length) return (await import('./cli-destroy-target.js')).runTargetedDestroy(flags, flags.target);
  const s = await openSession(flags.file).catch(async (err: Error) => {
    if (/is not running/.test(err.message)) return undefined;
    throw err;
  });
  if (!s) return destroyStopped(flags);
  const lock = await s.store.lockForApply('spaceport destroy', {
    timeoutMs: parseTimeout(flags.lockTimeout, 10_000),
    onWait: (h) => console.error(`Waiting for the state lock: held by pid ${h.pid} (${h.what}, since ${h.since})...`),
  });
  try {
    const plan = await planSession(s, { destroy: true, includeData: flags.includeData });
    process.stdout.write(renderPlan(plan, { color: useColour(), providers: s.set.providers }));
    const question = `\nDo you really want to destroy the space ${s.space.config.name}?${flags.includeData ? ' Databases and topics are deleted with their data.' : ' Database and topic data is kept.'}`;
    const name = s.space.config.name;
    const what = `This stops the space ${name} and destroys its resources${flags.includeData ? ', and deletes its databases and topics with their data' : ''}.`;
    if (!(await consent(flags, name, question, what))) {
      console.log('\nDestroy cancelled.');
      return 1;
    }
    const { pid } = await s.control<{ pid: number }>('POST', '/v1/down');
    console.log('\nStopping every dyno and platform process...');
    while (alive(pid) || existsSync(s.paths.socket)) await new Promise((r) => setTimeout(r, 50));
    s.store.update((st) => {
      st.resources = {};
      st.outputs = {};
    });
    const data = [join(s.space.stateDir, 'postgres'), join(s.space.stateDir, 'events'), join(s.space.stateDir, 'backups')].filter(existsSync);
    rmSync(join(s.space.stateDir, 'builds'), { recursive: true, force: true });
    if (flags.includeData) await deleteData(s.store, s.space.stateDir);
    const n = summarize(visibleChanges(plan));
    console.log(`\nDestroy complete! Resources: ${n.destroy} destroyed.`);
    if (!flags.includeData && data.length) {
      console.log(`Data kept in ${data.map((d) => relative(process.cwd(), d) || d).join(', ')}: \`spaceport up\` finds it again; \`destroy --include-data\` deletes it.`);
    }
    return 0;
  } finally {
    lock.release();
  }
}
