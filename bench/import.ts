import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { createLocalSystem } from '../infra/local/system.js';
import { startImportJob } from '../shared/app/import-jobs.js';
import { runImportJob } from '../shared/app/import-worker.js';
import { silentLogger } from '../shared/app/logger.js';
import { type ImportReport, type ImportRequest, importProjects } from '../shared/app/project-import.js';
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
 * the times and projects per second. `--via job`: the import as `POST /imports` runs it, a background job (the file
 * planned and stored in chunks, then a worker importing chunk after chunk, recording its progress after each).
 */
const { values } = parseArgs({
  options: { projects: { type: 'string', default: '1000' }, via: { type: 'string', default: 'request' } },
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
      const report =
        values.via === 'job'
          ? await importAsJob(ctx, request, dry)
          : await importProjects(ctx, admin, request, { dryRun: false });
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
| import ${values.via === 'job' ? 'as a background job ' : ''}(${report.imported} imported, one transaction each) | ${(importMs / 1000).toFixed(2)} s | ${perSecond(importMs)} |
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

/** The import as a job: queued (planned, stored in chunks), then one worker run to its end; its figures as a report. */
async function importAsJob(
  ctx: Parameters<typeof startImportJob>[0],
  request: ImportRequest,
  dry: ImportReport,
): Promise<ImportReport> {
  const job = await startImportJob(ctx, admin, request);
  const run = await runImportJob(ctx, job.jobId);
  const done = await ctx.store.getImportJob(job.jobId);
  if (run.outcome !== 'finished' || done?.status !== 'done') throw new Error(`the job ended ${run.outcome}`);
  // the stages of the rows, as the dry run found them
  const results = dry.results.map((r) => ({ ...r, outcome: 'imported' as const }));
  return { ...dry, dryRun: false, results, imported: done.imported, alreadyImported: done.skipped };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
