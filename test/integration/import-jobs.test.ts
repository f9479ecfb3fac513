import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { startImportJob } from '../../shared/app/import-jobs.js';
import { runImportJob } from '../../shared/app/import-worker.js';
import { loadState } from '../../shared/app/load.js';
import { silentLogger } from '../../shared/app/logger.js';
import { importedProjectId } from '../../shared/app/project-import.js';
import type { ImportJob } from '../../shared/domain/import-job.js';
import type { Principal } from '../../shared/domain/principal.js';
import { planImport } from '../../shared/domain/project-import.js';
import { rowsToCsv, templateHeader } from '../../shared/domain/project-import-csv.js';
import { sampleImportRows } from '../../shared/domain/project-import-sample.js';
import { brokenInvariants } from '../../shared/domain/project-invariants.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import type { DocumentSender } from '../../shared/store/dynamo-store.js';
import { allEvents } from '../support/drive.js';
import { FaultyDocumentClient, isTransaction, throttled } from '../support/faults.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/** Beijing time: `2026-12-07 09:00` → the instant. */
const beijing = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const ORIGIN = 'http://localhost';
const admin: Principal = { userId: 'admin', role: 'admin', name: '系统管理员' };
const keys = templateHeader(referenceChain).map((h) => h.key);

/** A file of `count` projects in flight, codes from `firstSerial` on. */
function fileOf(count: number, firstSerial: number) {
  const rows = sampleImportRows(referenceChain, {
    count,
    today: '2026-12-07',
    agentId: 'agent-wang',
    firstSerial,
  });
  return {
    rows,
    request: {
      chainId: 'industrial-enterprise',
      chainVersion: referenceChain.version,
      fileName: `在办项目-${firstSerial}.csv`,
      csv: rowsToCsv(keys, rows),
      graceDays: 2,
    },
  };
}

/** Every project of the file is there whole, once, with its history naming the file and its row. */
async function expectImportedOnce(
  system: LocalSystem,
  api: ApiClient,
  rows: Array<Record<string, string>>,
  leftOut: number[] = [],
) {
  // each row's project as the import names it (by its national code, or by a hash of a row without one)
  const plan = planImport(
    referenceChain,
    [keys, ...rows.map((row) => keys.map((k) => row[k] ?? ''))],
    '2026-12-07',
  );
  for (const [index, row] of rows.entries()) {
    if (leftOut.includes(index + 2)) continue;
    const identity = plan.projects.find((p) => p.row === index + 2)?.identity ?? '';
    const projectId = importedProjectId(identity);
    expect(brokenInvariants(await loadState(system.ctx, projectId))).toEqual([]);
    const events = await allEvents(api, projectId);
    const imported = events.filter((e) => e.type === 'project_imported');
    expect(imported).toHaveLength(1);
    expect(imported[0].data).toMatchObject({ row: index + 2 });
    const statuses = Object.entries(row).filter(([k, v]) => k.endsWith('.status') && v);
    expect(events.filter((e) => e.type === 'step_imported')).toHaveLength(statuses.length);
  }
}

describe('an import as a background job (导入任务)', () => {
  const clock = new ManualClock(beijing('2026-12-07 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let doc: FaultyDocumentClient | undefined;

  beforeAll(async () => {
    system = await startTestSystem({
      clock,
      log: silentLogger,
      wrapDocumentClient: (inner: DocumentSender) => {
        doc = new FaultyDocumentClient(inner);
        return doc;
      },
    });
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const poll = async (jobId: string): Promise<ImportJob> => {
    for (;;) {
      const res = await api.get<ImportJob>(`/imports/${jobId}`, 'admin');
      expect(res.status).toBe(200);
      if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it('answers a posted file with 202 and the job at once; the job finishes with every project and its history', async () => {
    const { rows, request } = fileOf(10, 60_000);
    // a planted bad row: row 4 names an agent who does not exist
    const badRows = rows.map((row, i) => (i === 2 ? { ...row, agent_id: 'agent-nobody' } : row));
    const res = await api.post<ImportJob & { progress: string }>('/imports', 'admin', {
      ...request,
      csv: rowsToCsv(keys, badRows),
    });
    expect(res.status).toBe(202);
    expect(res.body.status).toMatch(/queued|running/);
    expect(res.body.total).toBe(10);
    expect(res.body.progress).toBe(`/imports/${res.body.jobId}`);
    const job = await poll(res.body.jobId);
    expect(job).toMatchObject({ status: 'done', total: 10, done: 10, imported: 9, skipped: 0, failed: 1 });
    expect(job.problems.map((p) => [p.row, p.code])).toEqual([[4, 'IMPORT.UNKNOWN_AGENT']]);
    expect(job.startedAt).toBeDefined();
    expect(job.finishedAt).toBeDefined();
    await system.engine.settled();
    await expectImportedOnce(system, api, rows, [4]);
    const list = await api.get<{ items: ImportJob[] }>('/imports', 'admin');
    expect(list.body.items[0]?.jobId).toBe(job.jobId);
    // the same file again: nothing changes, every row skipped
    const again = await api.post<ImportJob>('/imports?wait=true', 'admin', request);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'done', imported: 1, skipped: 9, failed: 0 });
  });

  it('takes the import on the admin page as a job: its page shows the progress, counts and times, in Chinese', async () => {
    const { request } = fileOf(3, 65_000);
    const signIn = await system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userId: 'admin', password: DEMO_PASSWORD, next: '' }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const form = new FormData();
    form.set('chainId', 'industrial-enterprise');
    form.set('graceDays', '2');
    form.set('action', 'import');
    form.set('file', new File([request.csv], '页面导入.csv', { type: 'text/csv' }));
    const posted = await system.app.request('/app/admin/imports', {
      method: 'POST',
      headers: { cookie, origin: ORIGIN },
      body: form,
    });
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/app\/admin\/imports\/[A-Z0-9]+$/);
    await poll(location.split('/').at(-1) ?? '');
    const html = await (await system.app.request(location, { headers: { cookie } })).text();
    expect(html).toContain('导入任务');
    expect(html).toContain('页面导入.csv');
    expect(html).toContain('已完成');
    expect(html).toContain('3 / 3 行');
    // the start, in Beijing time
    expect(html).toContain('2026-12-07 09:00');
    const list = await (await system.app.request('/app/admin/imports', { headers: { cookie } })).text();
    expect(list).toContain(`href="${location}"`);
  });

  it('refuses a job to anyone but an admin, and names an unknown job 404', async () => {
    const { request } = fileOf(2, 61_000);
    expect((await api.post('/imports', 'agent-wang', request)).status).toBe(403);
    expect((await api.get('/imports/01NOSUCHJOB', 'admin')).status).toBe(404);
  });

  it('a worker stopped at its deadline is resumed by the next run, and the result is the same', async () => {
    const { rows, request } = fileOf(9, 62_000);
    const job = await startImportJob(system.ctx, admin, request, { chunkRows: 3 });
    expect(job).toMatchObject({ status: 'queued', chunks: 3 });
    // a tiny budget: each run imports one chunk, then stops before its deadline
    const first = await runImportJob(system.ctx, job.jobId, { stopBy: Date.now() + 1 });
    expect(first).toMatchObject({ outcome: 'stopped', chunks: 1 });
    const halfway = await system.ctx.store.getImportJob(job.jobId);
    expect(halfway).toMatchObject({ status: 'running', nextChunk: 1, done: 3, imported: 3 });
    expect(halfway?.lease).toBeUndefined();
    let runs = 1;
    for (let run = first; run.outcome !== 'finished'; runs += 1)
      run = await runImportJob(system.ctx, job.jobId, { stopBy: Date.now() + 1 });
    const finished = await system.ctx.store.getImportJob(job.jobId);
    expect(finished).toMatchObject({ status: 'done', done: 9, imported: 9, skipped: 0, failed: 0 });
    expect(finished?.runs).toBe(runs);
    await system.engine.settled();
    await expectImportedOnce(system, api, rows);
  });

  it('two workers at once: one holds the job, each row is imported once', async () => {
    const { rows, request } = fileOf(8, 63_000);
    const job = await startImportJob(system.ctx, admin, request, { chunkRows: 2 });
    const [a, b] = await Promise.all([
      runImportJob(system.ctx, job.jobId, { workerId: 'worker-a' }),
      runImportJob(system.ctx, job.jobId, { workerId: 'worker-b' }),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['busy', 'finished']);
    expect(a.chunks + b.chunks).toBe(4);
    const finished = await system.ctx.store.getImportJob(job.jobId);
    expect(finished).toMatchObject({ status: 'done', done: 8, imported: 8, skipped: 0, runs: 1 });
    await system.engine.settled();
    await expectImportedOnce(system, api, rows);
  });

  it('a throttled chunk is tried again, and no project is half written', async () => {
    const { rows, request } = fileOf(6, 64_000);
    const job = await startImportJob(system.ctx, admin, request, { chunkRows: 3 });
    // DynamoDB throttles every transaction for a while: more than the store's own retries absorb
    doc?.fail(isTransaction, throttled, 20);
    const run = await runImportJob(system.ctx, job.jobId, { retryDelayMs: 50 });
    doc?.heal();
    expect(run.outcome).toBe('finished');
    const finished = await system.ctx.store.getImportJob(job.jobId);
    expect(finished).toMatchObject({ status: 'done', done: 6, imported: 6, skipped: 0, failed: 0 });
    expect(finished?.retried).toBeGreaterThan(0);
    await system.engine.settled();
    await expectImportedOnce(system, api, rows);
  });
});
