import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type RunningDynamoDb, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { measureScale } from './figures/scale.js';
import { listRows } from './figures/scale-rows.js';
import { currentLoad } from './lib/machine.js';

/**
 * `npm run bench:lists`: the lists alone, at 100, 1,000 and 10,000 active projects that carry realistic events,
 * notifications, meetings and counters (`npm run bench` measures them with the SLA sweep, on the same tables).
 * Each list's first page, p50 / p99 and DynamoDB calls per read, beside the 100-project baseline.
 */
const { values } = parseArgs({
  options: {
    small: { type: 'string', default: '100' },
    medium: { type: 'string', default: '1000' },
    large: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '40' },
  },
});

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const loadStart = currentLoad();
  let dynamo: RunningDynamoDb | undefined;
  try {
    dynamo = await startDynamoDbLocal();
    const figure = await measureScale({
      endpoint: dynamo.endpoint,
      small: Number(values.small),
      medium: Number(values.medium),
      large: Number(values.large),
      listRounds: Number(values.rounds),
      due: 5,
      sweepRounds: 1,
    });
    const rows = listRows(figure);
    console.log(
      [
        '',
        '| Figure | Measured | Baseline (same run) | Ratio | Goal | | Load |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows.map(
          (r) =>
            `| ${r.figure} | ${r.measured} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.met === null ? '' : r.met ? 'met' : 'NOT MET'} | ${r.load ?? ''} |`,
        ),
        '',
        `load average ${loadStart} → ${currentLoad()}`,
      ].join('\n'),
    );
    const dir = process.env.BENCH_RESULTS_DIR ?? join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lists.json'), `${JSON.stringify(figure, null, 2)}\n`);
  } finally {
    await dynamo?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
