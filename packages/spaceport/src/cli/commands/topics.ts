/**
 * `spaceport topics`, `topics:create`, `topics:delete`, `topics:tail`: the embedded Kafka broker's topics, through
 * the control API. `--addon` picks the Kafka add-on when the space has several.
 */
import type { Command } from 'commander';

interface Common {
  file?: string;
  addon?: string;
}

export function register(program: Command): void {
  const fileOpt = ['-f, --file <file>', 'config file (default: the nearest spaceport.yaml, walking up)'] as const;
  const addonOpt = ['--addon <name>', 'the Kafka add-on (default: the only one)'] as const;
  const q = (opts: Common, extra: Record<string, string> = {}) => {
    const p = new URLSearchParams(extra);
    if (opts.addon) p.set('addon', opts.addon);
    const s = p.toString();
    return s ? `?${s}` : '';
  };

  program
    .command('topics')
    .description('List topics: partitions, log start/end offsets, messages, size, retention')
    .option(...fileOpt)
    .option(...addonOpt)
    .option('--json', 'print JSON')
    .action(async (opts: Common & { json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { formatTopics } = await import('../../events/cli-format.js');
      type Res = { addon: string; topics: import('../../events/admin/views.js').TopicView[] };
      const res = await call<Res>(locateSpace(opts.file), 'GET', `/v1/topics${q(opts)}`);
      console.log(opts.json ? JSON.stringify(res, null, 2) : formatTopics(res.addon, res.topics));
    });

  program
    .command('topics:create <name>')
    .description('Create a topic')
    .option(...fileOpt)
    .option(...addonOpt)
    .option('-p, --partitions <n>', 'number of partitions', '1')
    // Heroku Kafka's and Kafka's own flags, so their command lines work as written.
    .option('--retention-time <duration>', "how long records are kept (7d, 36h, 90m; Heroku's flag), as retention.ms")
    .option('--replication-factor <n>', 'replicas per partition: 1, the one broker of a space')
    .option('--compaction', 'log compaction (cleanup.policy=compact): not supported, refused with what to use')
    .action(async (name: string, opts: Common & { partitions: string; retentionTime?: string; replicationFactor?: string; compaction?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { usageError } = await import('../errors.js');
      const partitions = /^\d+$/.test(opts.partitions) ? Number(opts.partitions) : NaN;
      if (!(partitions >= 1 && partitions <= 1000)) throw usageError(`--partitions ${opts.partitions}: give a whole number of partitions from 1 to 1000`);
      if (opts.replicationFactor !== undefined && opts.replicationFactor !== '1') {
        throw usageError(`--replication-factor ${opts.replicationFactor}: a space's broker is one node, so every partition has 1 replica; leave the flag out or give 1`);
      }
      if (opts.compaction) throw usageError('--compaction: the broker does not compact logs (cleanup.policy=compact); records are deleted by time (--retention-time) and by size (retention_bytes in spaceport.yaml)');
      let retentionMs: number | undefined;
      if (opts.retentionTime !== undefined) {
        const { parseDuration } = await import('../../config/duration.js');
        retentionMs = parseDuration(opts.retentionTime);
        if (retentionMs === undefined || retentionMs <= 0) throw usageError(`--retention-time ${opts.retentionTime}: give a duration such as 7d, 36h or 90m`);
      }
      const paths = locateSpace(opts.file);
      const res = await call<{ addon: string }>(paths, 'POST', '/v1/topics', { addon: opts.addon, name, partitions });
      if (retentionMs !== undefined) await call(paths, 'PATCH', `/v1/topics/${encodeURIComponent(name)}`, { addon: opts.addon, retentionMs });
      const kept = retentionMs === undefined ? '' : `, records kept ${opts.retentionTime!.trim()}`;
      console.log(`Created topic ${name} with ${partitions} partition(s)${kept} in ${res.addon}.`);
    });

  program
    .command('topics:delete <name>')
    .description('Delete a topic, its records and the committed offsets of it (asks for the topic name)')
    .option(...fileOpt)
    .option(...addonOpt)
    .option('--confirm <name>', 'the topic name, to confirm without a prompt (for scripts)')
    .action(async (name: string, opts: Common & { confirm?: string }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { CliError } = await import('../errors.js');
      const { confirmName } = await import('../confirm-name.js');
      const space = locateSpace(opts.file);
      type Res = { addon: string; topics: import('../../events/admin/views.js').TopicView[] };
      // Look first: nobody should type a name for a topic that is not there.
      const list = await call<Res>(space, 'GET', `/v1/topics${q(opts)}`);
      const topic = list.topics.find((t) => t.name === name);
      if (!topic) throw new CliError(`topic ${name} does not exist in ${list.addon}; list topics with \`spaceport topics\``);
      const records = topic.partitions.reduce((n, p) => n + (p.logEndOffset - p.logStartOffset), 0);
      const declared = await declaredTopic(space.file, name);
      await confirmName({
        given: opts.confirm,
        name,
        kind: 'topic',
        what:
          `This deletes topic ${name} of ${list.addon} with its ${records.toLocaleString('en-US')} record(s) and the committed offsets of it.` +
          (declared ? ' It is declared in spaceport.yaml: `spaceport apply` would create it again, empty.' : ''),
        command: `spaceport topics:delete ${name}${opts.addon ? ` --addon ${opts.addon}` : ''}`,
      });
      const res = await call<{ addon: string }>(space, 'DELETE', `/v1/topics/${encodeURIComponent(name)}${q(opts, { confirm: name })}`);
      console.log(`Deleted topic ${name} from ${res.addon}.`);
    });

  program
    .command('topics:tail <name>')
    .description('Print records as they arrive: partition:offset, key, value (Ctrl-C to stop)')
    .option(...fileOpt)
    .option(...addonOpt)
    .option('--from-beginning', 'start at the oldest record instead of the end')
    .option('-n, --max-records <n>', 'exit after this many records')
    .option('--json', 'print one JSON object per record')
    .action(async (name: string, opts: Common & { fromBeginning?: boolean; maxRecords?: string; json?: boolean }) => {
      const { locateSpace } = await import('../space.js');
      const { call } = await import('../client.js');
      const { formatRecord } = await import('../../events/cli-format.js');
      const { usageError } = await import('../errors.js');
      type Res = { records: import('../../events/admin/records.js').TailRecord[]; positions: string };
      // Number('abc') is NaN, and the loop below then ended at once: exit 0 with nothing printed.
      if (opts.maxRecords !== undefined && !/^[1-9]\d*$/.test(opts.maxRecords)) throw usageError(`-n ${opts.maxRecords}: give a whole number of records, at least 1`);
      const space = locateSpace(opts.file);
      const limit = opts.maxRecords ? Number(opts.maxRecords) : Infinity;
      let printed = 0;
      let positions = '';
      const from = opts.fromBeginning ? 'beginning' : 'end';
      while (printed < limit) {
        const extra: Record<string, string> = { from, wait: '10000' };
        if (positions) extra.positions = positions;
        const res = await call<Res>(space, 'GET', `/v1/topics/${encodeURIComponent(name)}/records${q(opts, extra)}`);
        positions = res.positions;
        for (const r of res.records) {
          if (printed >= limit) break;
          console.log(opts.json ? JSON.stringify(r) : formatRecord(r));
          printed++;
        }
      }
    });
}

/** Whether spaceport.yaml declares the topic under a Kafka add-on (then apply creates it again). */
async function declaredTopic(file: string, name: string): Promise<boolean> {
  const { readFileSync } = await import('node:fs');
  const { parse } = await import('yaml');
  try {
    const doc = parse(readFileSync(file, 'utf8')) as { addons?: Record<string, { type?: string; topics?: Record<string, unknown> } | null> } | null;
    return Object.values(doc?.addons ?? {}).some((a) => a?.type === 'kafka' && a.topics != null && name in a.topics);
  } catch {
    return false; // a file that does not parse only loses this hint
  }
}
