import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { createLocalSystem } from '../infra/local/system.js';
import { silentLogger } from '../shared/app/logger.js';
import { importProjects } from '../shared/app/project-import.js';
import type { Principal } from '../shared/domain/principal.js';
import { rowsToCsv, templateHeader } from '../shared/domain/project-import-csv.js';
import { sampleImportRows } from '../shared/domain/project-import-sample.js';
import { chinaDate } from '../shared/domain/working-days.js';
import { currentLoad, describeMachine } from './lib/machine.js';

/**
 * `npm run bench:import`: N projects in flight (default 1,000, spread over every stage of the reference chain, some
 * completed, some returned on a rejection, steps in review, paused and waiting for supplements, every sixth without a
 * national code) imported from one file on the embedded runtime (DynamoDB Local and the local engine): the dry run, the
 * import (one transaction per project), then until every imported execution has reached its stage's waits. Prints
 * the times and projects per second.
 */
const { values } = parseArgs({
  options: { projects: { type: 'string', default: '1000' } },
});

const admin: Principal = { userId: 'admin', role: 'admin', name: '系统管理员' };
const TABLE = 'bench-import';

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const count = Number(values.projects);
  const dynamo = await startDynamoDbLocal();
  try {
    // the system opens the table itself (and closes it when it stops)
    const system = await createLocalSystem({
      endpoint: dynamo.endpoint,
      tableName: TABLE,
      log: silentLogger,
    });
    try {
      const { ctx } = system;
      const chain = await ctx.chains.latest('industrial-enterprise');
      const today = chinaDate(ctx.clock.now());
      const rows = sampleImportRows(chain, { count, today, agentId: 'agent-wang' });
      const csv = rowsToCsv(
        templateHeader(chain).map((h) => h.key),
        rows,
      );
      // the states the file covers, as the live system has them
      const statuses = new Map<string, number>();
      for (const row of rows)
        for (const [key, value] of Object.entries(row))
          if (key.endsWith('.status') && value) statuses.set(value, (statuses.get(value) ?? 0) + 1);
      const covered = [
        `${rows.filter((r) => !r.project_code).length} rows without a national code`,
        `${rows.filter((r) => Object.entries(r).some(([k, v]) => k.endsWith('.outcome') && v === '不予许可')).length} with a rejection (不予许可)`,
        ...[...statuses].map(([word, n]) => `${word} ${n}`),
      ].join(', ');
      const request = { chainId: chain.id, fileName: 'bench-import.csv', csv, graceDays: 5 };
      const load = currentLoad();

      let started = performance.now();
      const dry = await importProjects(ctx, admin, request, { dryRun: true });
      const dryMs = performance.now() - started;

      started = performance.now();
      const report = await importProjects(ctx, admin, request, { dryRun: false });
      const importMs = performance.now() - started;
      await system.engine.settled();
      const settledMs = performance.now() - started;

      started = performance.now();
      const again = await importProjects(ctx, admin, request, { dryRun: false });
      const againMs = performance.now() - started;

      const stages = new Map<string, number>();
      for (const r of report.results) {
        const key =
          r.status === 'completed'
            ? 'completed'
            : `stage ${r.stageIndex + 1}${r.status === 'returned' ? ' (returned)' : ''}`;
        stages.set(key, (stages.get(key) ?? 0) + 1);
      }
      const machine = describeMachine();
      const perSecond = (ms: number) => ((report.imported / ms) * 1000).toFixed(1);
      console.log(`
projects in flight imported on the embedded runtime (DynamoDB Local + local engine)
machine: ${machine.cpus} × ${machine.cpuModel}, load ${load} at the start (the machine is shared with other work)
file: ${count} rows, ${(csv.length / 1024).toFixed(0)} KB; ${[...stages].map(([k, n]) => `${k}: ${n}`).join(', ')}
steps: ${covered}

| phase | time | projects/s |
| --- | --- | --- |
| dry run (${dry.results.length} ready, ${dry.problems.length} problems) | ${(dryMs / 1000).toFixed(2)} s | ${((count / dryMs) * 1000).toFixed(1)} |
| import (${report.imported} imported, one transaction each) | ${(importMs / 1000).toFixed(2)} s | ${perSecond(importMs)} |
| import + every execution waiting at its stage | ${(settledMs / 1000).toFixed(2)} s | ${perSecond(settledMs)} |
| re-import (${again.alreadyImported} already imported, ${again.imported} written) | ${(againMs / 1000).toFixed(2)} s | — |
`);
      if (report.imported !== count || again.imported !== 0) process.exitCode = 1;
    } finally {
      await system.stop();
    }
  } finally {
    await dynamo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
