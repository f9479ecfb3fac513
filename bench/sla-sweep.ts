import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type RunningDynamoDb, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { measureScale } from './figures/scale.js';

/**
 * `npm run bench:sla`: the SLA sweep alone, at 100 and 10,000 active projects with the same number of steps due
 * (`npm run bench` measures it with the lists, on the same tables). The sweep's cost grows with what is due, not
 * with what exists (DESIGN.md decision 4).
 */
const { values } = parseArgs({
  options: {
    small: { type: 'string', default: '100' },
    large: { type: 'string', default: '10000' },
    due: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '7' },
    quick: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let dynamo: RunningDynamoDb | undefined;
  try {
    dynamo = await startDynamoDbLocal();
    const figure = await measureScale({
      endpoint: dynamo.endpoint,
      small: Number(values.quick ? 50 : values.small),
      large: Number(values.quick ? 500 : values.large),
      due: Number(values.quick ? 10 : values.due),
      sweepRounds: Number(values.quick ? 3 : values.rounds),
      listRounds: 0,
      lists: false,
    });
    const { sweep } = figure;
    console.log(`
| active projects | steps due | sweep median |
| --- | --- | --- |
| ${figure.smallProjects} | ${sweep.due} | ${sweep.smallMedianMs} ms |
| ${figure.largeProjects} | ${sweep.due} | ${sweep.largeMedianMs} ms |

ratio ${figure.largeProjects} / ${figure.smallProjects}: ${sweep.ratio} (goal ≤ ${sweep.goal}: ${sweep.met ? 'MET' : 'NOT MET'})`);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/sla-sweep.json', `${JSON.stringify(figure, null, 2)}\n`);
  } finally {
    await dynamo?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
