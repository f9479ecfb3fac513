import { readFileSync } from 'node:fs';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { openLocalTable } from '../infra/local/system.js';
import { unconditioned } from './lib/unconditioned.js';
import { cpuSecondsOf, ownCpuSeconds } from './lib/machine.js';
import { inParallel } from './lib/progress.js';

const template = readFileSync('/tmp/tx.json', 'utf8');
const dynamo = await startDynamoDbLocal();
const N = 1500;
const variants = ['asis', 'sendsString', 'noOutbox', 'noMeeting', 'noDoc', 'onlyProjectStep'];
const totals = new Map<string, { java: number; node: number; n: number }>();
let round = 0;
try {
  for (let r = 0; r < 4; r += 1) {
    for (const variant of variants) {
      round += 1;
      const tableName = `exp-${variant}-${round}`;
      const table = await openLocalTable({ endpoint: dynamo.endpoint, tableName });
      const src = template.replaceAll(/"TableName": "[^"]+"/g, `"TableName": "${tableName}"`);
      const j0 = cpuSecondsOf(dynamo.pid);
      const n0 = ownCpuSeconds();
      await inParallel(Array.from({ length: N }, (_, i) => i), 16, async (i) => {
        const items = JSON.parse(src.replaceAll('01M9958NZ1CGVCKGGDF43EHRH0', `P${String(i).padStart(25, '0')}`).replaceAll('proposal-DRC-20261226-1', `proposal-${i}`)) as Array<Record<string, any>>;
        let list = items.map(unconditioned);
        if (variant === 'sendsString') list = list.map((it) => (it.Put?.Item?.sends ? { Put: { ...it.Put, Item: { ...it.Put.Item, sends: JSON.stringify(it.Put.Item.sends) } } } : it));
        if (variant === 'noMeeting') list = list.filter((it) => !String(it.Put?.Item?.PK ?? '').startsWith('MEETING'));
        if (variant === 'noOutbox') list = list.filter((it) => !it.Put?.Item?.sends);
        if (variant === 'noDoc') list = list.filter((it) => !String(it.Put?.Item?.SK ?? '').startsWith('DOC#'));
        if (variant === 'onlyProjectStep') list = list.filter((it) => it.Update);
        await table.doc.send(new TransactWriteCommand({ TransactItems: list as never }));
      });
      if (r > 0) {
        const t = totals.get(variant) ?? { java: 0, node: 0, n: 0 };
        t.java += cpuSecondsOf(dynamo.pid) - j0; t.node += ownCpuSeconds() - n0; t.n += N;
        totals.set(variant, t);
      }
      table.close();
    }
  }
  for (const [v, t] of totals) console.log(v.padEnd(16), `java ${((t.java * 1000) / t.n).toFixed(2)} ms`, `node ${((t.node * 1000) / t.n).toFixed(2)} ms`);
} finally {
  await dynamo.stop();
}
