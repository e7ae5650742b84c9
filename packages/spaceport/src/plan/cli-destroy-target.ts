/**
 * `spaceport destroy --target ADDRESS...`: destroys only those resources, and what depends on them
 * (destroy-target.ts), in the running space: apps stop, add-ons stop, gateway entities go, records are forgotten;
 * spaceport.yaml is not edited, so the next plan proposes to create them again, as after Terraform's.
 * Data follows destroy's rule: an add-on's data stays on disk unless --include-data (which asks for the space's
 * name), and a topic, whose records are all it is, is destroyed only with --include-data.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from '../cli/errors.js';
import { useColour } from '../cli/format.js';
import { applyPlan } from './apply.js';
import { consent, type DestroyFlags } from './cli-destroy.js';
import { destroySelection, destroyTargetWarnings } from './destroy-target.js';
import type { Plan } from './plan.js';
import { renderPlan } from './render.js';
import { openSession, parseTimeout, planSession } from './session.js';
import { checkTargets } from './target.js';

export async function runTargetedDestroy(flags: DestroyFlags, targets: string[]): Promise<number> {
  checkTargets(targets);
  const s = await openSession(flags.file).catch((err: Error) => {
    if (!/is not running/.test(err.message)) throw err;
    throw new CliError(`destroy --target works on the running space (it stops what it destroys): start it with \`spaceport up -d\`; to forget records of a stopped space without destroying anything, use \`spaceport state rm ${targets.join(' ')}\``);
  });
  const lock = await s.store.lockForApply('spaceport destroy --target', {
    timeoutMs: parseTimeout(flags.lockTimeout, 10_000),
    onWait: (h) => console.error(`Waiting for the state lock: held by pid ${h.pid} (${h.what}, since ${h.since})...`),
  });
  try {
    const full = await planSession(s, { destroy: true, includeData: flags.includeData });
    const sel = destroySelection(full.changes, targets);
    const topics = sel.chosen.filter((c) => c.kind === 'topic' && c.keepData);
    if (topics.length) {
      throw new CliError(`${topics.map((c) => c.address).join(', ')}: destroying a topic deletes its records, and destroy keeps data unless --include-data; run it with --include-data (it asks for the space's name) to destroy ${topics.length === 1 ? 'it' : 'them'}. Nothing was destroyed.`);
    }
    const lost = sel.chosen.filter((c) => c.destroysData && !c.keepData).map((c) => `${c.address} is destroyed with its data: ${c.destroysData}`);
    const plan: Plan = { changes: sel.chosen, refusals: [], warnings: [...destroyTargetWarnings(targets, sel.added), ...lost] };
    process.stdout.write(renderPlan(plan, { color: useColour(), providers: s.set.providers }));
    const name = s.space.config.name;
    const n = sel.chosen.length;
    const question = `\nDo you really want to destroy ${n === 1 ? 'this resource' : `these ${n} resources`} of the space ${name}?${flags.includeData ? ' Databases and topics among them are deleted with their data.' : ' Database data is kept.'}`;
    const what = `This destroys ${n} resource(s) of the space ${name}, deleting the data of the databases and topics among them.`;
    if (!(await consent(flags, name, question, what))) {
      console.log('\nDestroy cancelled.');
      return 1;
    }
    console.log('');
    const result = await applyPlan(plan, s.set.providers, s.store, {
      progress: {
        start: (c) => console.log(`${c.address}: Destroying...`),
        done: (c, ms) => console.log(`${c.address}: Destruction complete after ${(ms / 1000).toFixed(1)}s`),
        failed: (c, e) => console.log(`${c.address}: failed: ${e.message}`),
        skipped: (c, why) => console.log(`${c.address}: ${why}`),
      },
    });
    if (flags.includeData) await deleteAddonData(s.store, s.space.stateDir, result.applied.filter((c) => c.kind === 'addon').map((c) => c.address.slice('addons.'.length)));
    if (result.failed.length || result.skipped.length) {
      console.log(`\nDestroy incomplete: ${result.applied.length} destroyed, ${result.failed.length} failed, ${result.skipped.length} skipped.`);
      for (const f of result.failed) console.log(`  Error: ${f.change.address}: ${f.error}`);
      return 1;
    }
    console.log(`\nDestroy complete! Resources: ${result.applied.length} destroyed.`);
    console.log(`\nWarning: only the targeted resources and their dependents were destroyed; spaceport.yaml still declares them, so \`spaceport plan\` proposes to create them again (remove them from the file to keep them gone).`);
    return 0;
  } finally {
    lock.release();
  }
}

/** An embedded add-on's data, once it stopped: a database through the Postgres add-on, a broker's directory. */
async function deleteAddonData(store: import('../state/store.js').StateStore, stateDir: string, names: string[]): Promise<void> {
  const { destroyPostgresData } = await import('../addons/postgres/index.js');
  for (const name of names) {
    if (existsSync(join(stateDir, 'postgres', name))) {
      const r = destroyPostgresData(store, stateDir, name);
      if (r.removed) console.log(`Deleted the data of addons.${name}: ${r.removed}`);
    }
    const events = join(stateDir, 'events', name);
    if (existsSync(events)) {
      rmSync(events, { recursive: true, force: true });
      console.log(`Deleted the data of addons.${name}: ${events}`);
    }
  }
}
