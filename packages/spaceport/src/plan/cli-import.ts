/**
 * `spaceport import ADDRESS...`, Terraform's `import` for a space: records in state a resource that runs and that
 * spaceport.yaml declares but state does not have (forgotten with `state rm`), with its live value, so drift is
 * measured from what runs. Spaceport finds running resources itself, so no id is given; a resource must be in the
 * file first, as Terraform requires it in the configuration (`plan --adopt` writes a running one into the file).
 */
import { CliError, usageError } from '../cli/errors.js';
import { checkAddress, isUnder } from './address.js';
import { openSession, parseTimeout, planSession } from './session.js';
import type { Change } from './types.js';

export async function runImport(addresses: string[], flags: { file?: string; lockTimeout?: string }): Promise<number> {
  for (const a of addresses) {
    const bad = checkAddress(a);
    if (bad) throw usageError(`${bad}: give addresses as plan prints them (apps.web, gateway.services.api)`);
  }
  const s = await openSession(flags.file);
  const lock = await s.store.lockForApply('spaceport import', {
    timeoutMs: parseTimeout(flags.lockTimeout, 10_000),
    onWait: (h) => console.error(`Waiting for the state lock: held by pid ${h.pid} (${h.what}, since ${h.since})...`),
  });
  try {
    const plan = await planSession(s);
    const recorded = s.store.read().resources;
    const picked: Change[] = [];
    for (const a of addresses) {
      const under = plan.changes.filter((c) => isUnder(c.address, a));
      // Running, declared, not recorded: an import's noop, or an update when it runs otherwise than the file says.
      const found = under.filter((c) => !recorded[c.address] && c.before !== undefined && c.after !== undefined && c.action !== 'move');
      if (found.length) {
        picked.push(...found);
        continue;
      }
      throw new CliError(whyNot(a, under, Object.keys(recorded)));
    }
    s.store.update((st) => {
      for (const c of picked) st.resources[c.address] = { id: c.id, kind: c.kind, attributes: c.before };
    });
    for (const c of picked) console.log(`${c.address}: Import complete (${c.kind}, id ${c.id})`);
    console.log(`\nImport successful! ${picked.length} resource${picked.length === 1 ? ' is' : 's are'} now in state, with the values they run with.`);
    const differ = picked.filter((c) => c.action !== 'noop');
    if (differ.length) console.log(`${differ.map((c) => c.address).join(', ')} run${differ.length === 1 ? 's' : ''} otherwise than spaceport.yaml says: \`spaceport plan\` shows the difference.`);
    return 0;
  } finally {
    lock.release();
  }
}

function whyNot(a: string, under: Change[], recorded: string[]): string {
  if (recorded.some((r) => isUnder(r, a)) && under.every((c) => recorded.includes(c.address) || c.action === 'noop')) {
    return `${a} is already in state: there is nothing to import (\`spaceport state rm ${a}\` first to import it again)`;
  }
  if (under.some((c) => c.action === 'create')) return `nothing runs at ${a} yet: \`spaceport apply\` creates it`;
  if (under.some((c) => c.action === 'delete' && c.drift)) {
    return `${a} runs but spaceport.yaml does not declare it, and import needs it in the file (as Terraform needs it in the configuration): \`spaceport plan --adopt\` writes it into the file and records it`;
  }
  return `no resource at or under ${a} runs that spaceport.yaml declares (\`spaceport state list\` prints the recorded ones)`;
}
