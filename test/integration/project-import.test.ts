import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../infra/local/installation.js';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { loadState } from '../../shared/app/load.js';
import { silentLogger } from '../../shared/app/logger.js';
import type { ImportReport } from '../../shared/app/project-import.js';
import { rowsOfXlsx, xlsxOfRows } from '../../shared/app/project-import-xlsx.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import { rowsToCsv, templateHeader } from '../../shared/domain/project-import-csv.js';
import { sampleImportRows } from '../../shared/domain/project-import-sample.js';
import { brokenInvariants } from '../../shared/domain/project-invariants.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/** Beijing time: `2026-12-07 09:00` → the instant. */
const beijing = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const ORIGIN = 'http://localhost';

describe('projects in flight imported from a file (在办项目导入)', () => {
  // Monday 7 December 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-12-07 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  const keys = templateHeader(referenceChain).map((h) => h.key);
  const rows = sampleImportRows(referenceChain, { count: 12, today: '2026-12-07', agentId: 'agent-wang' });
  const takenCode = rows[9]?.project_code ?? '';
  // planted bad rows (the header is row 1: the sample's row i is row i + 2)
  const planted = { order: 2, document: 4, future: 6, agent: 8, taken: 11 };
  const put = (row: number, key: string, value: string) => {
    const target = rows[row - 2];
    if (target) target[key] = value;
  };
  put(planted.order, 'step.1.decided', '2020-01-01');
  put(planted.document, 'step.1.doc_number', '');
  put(planted.future, 'step.1.doc_date', '2027-01-04');
  put(planted.agent, 'agent_id', 'agent-nobody');
  const csv = rowsToCsv(keys, rows);
  const request = {
    chainId: 'industrial-enterprise',
    chainVersion: referenceChain.version,
    fileName: '在办项目.csv',
    csv,
    graceDays: 2,
  };
  const bad = Object.values(planted);
  const good = rows.map((_, i) => i + 2).filter((row) => !bad.includes(row));
  /** the projects the import wrote, by row (a row without a national code is known by its content's hash) */
  const importedIds = new Map<number, { projectId: string; projectCode: string }>();
  const idOf = (row: number) => importedIds.get(row)?.projectId ?? '';

  beforeAll(async () => {
    system = await startTestSystem({ clock, log: silentLogger });
    api = new ApiClient(system);
    // a project registered in Daiban already holds the code of row 11
    const registered = await api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ projectCode: takenCode }),
    );
    expect(registered.status).toBe(201);
    await system.engine.settled();
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('serves the template of the chain version to an admin, naming its steps', async () => {
    const res = await api.get<string>('/imports/template.csv?chainId=industrial-enterprise', 'admin');
    expect(res.status).toBe(200);
    expect(res.body).toContain('项目代码 [project_code]');
    expect(res.body).toContain('[step.32.doc_number]');
  });

  it('dry-runs the file: names each planted bad row by row and cell, and writes nothing', async () => {
    const res = await api.post<ImportReport>('/imports/projects?dryRun=true', 'admin', request);
    expect(res.status).toBe(200);
    const codesOf = (row: number) => res.body.problems.filter((p) => p.row === row).map((p) => p.code);
    expect(codesOf(planted.order)).toContain('IMPORT.ORDER');
    expect(codesOf(planted.document)).toContain('IMPORT.DOCUMENT_MISSING');
    expect(codesOf(planted.future)).toContain('IMPORT.FUTURE_DATE');
    expect(codesOf(planted.agent)).toEqual(['IMPORT.UNKNOWN_AGENT']);
    expect(res.body.problems.find((p) => p.row === planted.agent)?.cell).toBe('F8');
    expect(codesOf(planted.taken)).toEqual(['IMPORT.CODE_TAKEN']);
    expect([...new Set(res.body.problems.map((p) => p.row))].sort((a, b) => a - b)).toEqual(bad);
    expect(res.body.problems.find((p) => p.row === planted.document)?.message).toMatch(
      /^第 4 行（[A-Z]+4）：步骤 1：已批准的步骤须有批文文号/,
    );
    expect(res.body.results.map((r) => [r.row, r.outcome])).toEqual(good.map((row) => [row, 'ready']));
    for (const r of res.body.results)
      expect((await api.get(`/projects/${r.projectId}`, 'admin')).status).toBe(404);
  });

  it('takes the same file as an .xlsx workbook: the template downloads as one, and the dry run names the same rows', async () => {
    const signedIn = await system.app.request('/auth/dev-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'admin' }),
    });
    const { token } = (await signedIn.json()) as { token: string };
    const template = await system.app.request('/imports/template.xlsx', {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(template.status).toBe(200);
    const header = rowsOfXlsx(new Uint8Array(await template.arrayBuffer()))[0];
    expect(header?.[0]).toBe('项目代码 [project_code]');
    const workbook = xlsxOfRows([keys, ...rows.map((row) => keys.map((key) => row[key] ?? ''))]);
    const xlsxBase64 = Buffer.from(workbook).toString('base64');
    const { csv: _csv, ...rest } = request;
    const res = await api.post<ImportReport>('/imports/projects/dry-run', 'admin', { ...rest, xlsxBase64 });
    expect(res.status).toBe(200);
    expect([...new Set(res.body.problems.map((p) => p.row))].sort((a, b) => a - b)).toEqual(bad);
    expect(res.body.results.map((r) => r.row)).toEqual(good);
  });

  it('imports the good rows, each on its stage with its history recorded as imported', async () => {
    const res = await api.post<ImportReport>('/imports/projects', 'admin', request);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(good.length);
    expect(res.body.results.map((r) => r.row)).toEqual(good);
    for (const r of res.body.results)
      importedIds.set(r.row, { projectId: r.projectId, projectCode: r.projectCode });
    await system.engine.settled();
    // rows without a national code got a generated (provisional) one, as a registration would
    const uncoded = good.filter((row) => !rows[row - 2]?.project_code);
    expect(uncoded.length).toBeGreaterThan(0);
    for (const row of uncoded) {
      const result = res.body.results.find((r) => r.row === row);
      expect(result?.projectId).toMatch(/^imp-h-[0-9a-f]{32}$/);
      expect(result?.projectCode).toMatch(/^\d{4}-\d{6}-\d{2}-\d{2}-\d{5}[0-9X]$/);
      const view = await viewProject(api, result?.projectId ?? '');
      expect(view.project).toMatchObject({ code: result?.projectCode, codeKind: 'provisional' });
    }
    // the states the live system has: returned on a rejection, supplements asked for, clocks paused
    expect(res.body.results.some((r) => r.status === 'returned')).toBe(true);
    for (const result of res.body.results) {
      expect(brokenInvariants(await loadState(system.ctx, result.projectId))).toEqual([]);
      const project = (await api.get(`/projects/${result.projectId}`, 'admin')).body;
      expect(project.project.status).toBe(result.status);
      expect(project.project.currentStageIndex).toBe(Math.min(result.stageIndex, 3));
      // registered on the file's date (or its earliest), so its Gantt and history start there
      const line = rows[result.row - 2] ?? {};
      const dates = Object.entries(line)
        .filter(([k, v]) => v && /\.(submitted|accepted|decided|doc_date|paused_on)$/.test(k))
        .map(([, v]) => v)
        .sort();
      expect(project.project.createdAt.slice(0, 10)).toBe(line.registered_on || dates[0]);
      // paused clocks stand still from the file's day, supplements wait for the enterprise, rejections stand
      const kinds: Record<string, [string, string]> = {
        补正中: ['supplement_requested', 'supplement'],
        专家评审中: ['in_review', 'expert_review'],
        听证中: ['in_review', 'hearing'],
        已办结: ['approved', ''],
      };
      const viewed = allSteps(await viewProject(api, result.projectId)) as unknown as Array<{
        stepId: string;
        status: string;
        clock?: { paused: boolean; pauses: Array<{ kind: string; fromDate: string }> } | null;
        parts?: Array<{ clock?: { paused: boolean } | null }>;
      }>;
      for (const [key, word] of Object.entries(line)) {
        const kind = kinds[word];
        if (!key.endsWith('.status') || !kind) continue;
        const stepId = key.split('.')[1] ?? '';
        const step = viewed.find((v) => v.stepId === stepId);
        const rejected = line[`step.${stepId}.outcome`] === '不予许可';
        expect(step?.status).toBe(rejected ? 'rejected' : kind[0]);
        if (!kind[1] || step?.parts?.length) continue;
        expect(step?.clock?.paused).toBe(true);
        expect(step?.clock?.pauses.map((p) => [p.kind, p.fromDate])).toEqual([
          [kind[1], line[`step.${stepId}.paused_on`]],
        ]);
      }
      // its attributes from the file: a project of 15,000 m² has no steps 10 and 11
      if (line['attr.siteAreaM2']) {
        expect(project.project.attributes.siteAreaM2).toBe(Number(line['attr.siteAreaM2']));
        const view = await viewProject(api, result.projectId);
        expect(allSteps(view).find((s) => s.stepId === '10')?.status).toBe('not_applicable');
      }
      const events = await allEvents(api, result.projectId);
      const imported = events.find((e) => e.type === 'project_imported');
      expect(imported.actor.userId).toBe('admin');
      expect(imported.data).toMatchObject({ fileName: '在办项目.csv', row: result.row });
      const steps = events.filter((e) => e.type === 'step_imported');
      const statuses = Object.entries(rows[result.row - 2] ?? {}).filter(
        ([k, v]) => k.endsWith('.status') && v,
      );
      expect(steps.map((e) => e.stepId).sort()).toEqual(statuses.map(([k]) => k.split('.')[1]).sort());
      for (const e of steps) expect(e.data).toMatchObject({ fileName: '在办项目.csv', row: result.row });
    }
    // the decided steps keep their document numbers
    const first = res.body.results.find((r) => r.stageIndex === 2);
    const view = await viewProject(api, first?.projectId ?? '');
    const step1 = allSteps(view).find((s) => s.stepId === '1') as unknown as {
      status: string;
      approvalDocument?: { number: string };
    };
    expect(step1.status).toBe('approved');
    expect(step1.approvalDocument?.number).toMatch(/^宁导批/);
  });

  it('runs open steps’ clocks from their real acceptance: lights show at once, deemed approval waits for the grace', async () => {
    const imported = good.map(idOf);
    type Step = {
      stepId: string;
      status: string;
      clock?: { light: string | null; acceptedOn?: string } | null;
    };
    const inReview = async () => {
      const all: Array<Step & { projectId: string }> = [];
      for (const projectId of imported) {
        for (const s of allSteps(await viewProject(api, projectId)) as unknown as Step[])
          all.push({ ...s, projectId });
      }
      return all;
    };
    const before = (await inReview()).filter((s) => s.status === 'in_review');
    const overdue = before.filter((s) => s.clock?.light === 'red');
    expect(overdue.length).toBeGreaterThan(0);
    const deemable = overdue.filter(
      (s) => findStep(referenceChain, s.stepId)?.step.policy.deemedApprovalAllowed,
    );
    expect(deemable.length).toBeGreaterThan(0);
    // the sweep the same day holds them (the grace runs to Wednesday 9 December)
    clock.set(beijing('2026-12-07 18:00'));
    await system.runJob();
    await system.engine.settled();
    const held = await inReview();
    for (const s of deemable) {
      expect(held.find((h) => h.projectId === s.projectId && h.stepId === s.stepId)?.status).toBe(
        'in_review',
      );
    }
    // once the grace has ended, the next sweep deems them approved (超时默认)
    clock.set(beijing('2026-12-09 09:00'));
    await system.runJob();
    await system.engine.settled();
    const after = await inReview();
    for (const s of deemable) {
      expect(after.find((h) => h.projectId === s.projectId && h.stepId === s.stepId)?.status).toBe(
        'deemed_approved',
      );
    }
  });

  it('shows every imported project on its page, with its lights', async () => {
    const signIn = await system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userId: 'leader-zhang', password: DEMO_PASSWORD, next: '' }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    for (const row of good) {
      const code = importedIds.get(row)?.projectCode ?? '';
      const page = await system.app.request(`/app/projects/${idOf(row)}`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(code);
      // the steps the file records as decided show as such, and every open step its light
      const decided = Object.entries(rows[row - 2] ?? {}).some(
        ([k, v]) => k.endsWith('.outcome') && v === '批准',
      );
      if (decided) expect(html).toContain('<td class="status">已批准</td>');
      const open = Object.entries(rows[row - 2] ?? {}).some(
        ([k, v]) => k.endsWith('.status') && v === '审查中',
      );
      if (open) expect(html).toMatch(/class="light light-(green|yellow|red)"/);
      // its Gantt counts from its registration (the file's date), not from the import
      const dated = Object.entries(rows[row - 2] ?? {}).some(
        ([k, v]) => /\.(accepted|decided)$/.test(k) && v,
      );
      const day = Number(/今天为第 (\d+) 个工作日/.exec(html)?.[1]);
      if (dated) expect(day).toBeGreaterThan(0);
    }
  });

  it('moves an imported project on from the stage it was imported in, to completion', async () => {
    const row = good.find((r) => (r - 2) % 5 === 2) ?? 0;
    const view = await driveProject(system, api, idOf(row));
    expect(view.project.status).toBe('completed');
  });

  it('goes on from the supplement an imported step waits for, and from a rejection re-applied', async () => {
    type Step = { stepId: string; status: string; missingMaterials?: Array<{ name: string }> };
    let supplied = 0;
    let reapplied = 0;
    for (const row of good) {
      const projectId = idOf(row);
      const view = await viewProject(api, projectId);
      for (const step of allSteps(view) as unknown as Step[]) {
        if (step.status === 'supplement_requested' && supplied === 0) {
          const res = await api.post(
            `/projects/${projectId}/steps/${step.stepId}/resubmission`,
            view.project.agentId,
            {
              supplied: (step.missingMaterials ?? []).map((m) => m.name),
            },
          );
          expect(res.status).toBe(200);
          await system.engine.settled();
          const after = allSteps(await viewProject(api, projectId)).find((s) => s.stepId === step.stepId);
          expect(after?.status).toBe('in_review');
          supplied += 1;
        }
        if (step.status === 'rejected' && reapplied === 0) {
          const res = await api.post(
            `/projects/${projectId}/steps/${step.stepId}/reapplication`,
            view.project.agentId,
            {
              note: '已整改',
            },
          );
          expect(res.status).toBe(200);
          await system.engine.settled();
          const driven = await driveProject(system, api, projectId, {
            stop: (v) =>
              v.project.status === 'active' && allSteps(v).every((s) => s.status !== 'supplement_requested'),
          });
          expect(driven.project.status).toBe('active');
          reapplied += 1;
        }
      }
    }
    expect([supplied, reapplied]).toEqual([1, 1]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const projectId = idOf(good[0] ?? 0);
    const uncoded = idOf(good.find((row) => !rows[row - 2]?.project_code) ?? 0);
    const eventsBefore = await allEvents(api, projectId);
    const uncodedBefore = await allEvents(api, uncoded);
    const res = await api.post<ImportReport>('/imports/projects', 'admin', request);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(0);
    expect(res.body.alreadyImported).toBe(good.length);
    expect(res.body.results.every((r) => r.outcome === 'already_imported')).toBe(true);
    expect(await allEvents(api, projectId)).toEqual(eventsBefore);
    expect(await allEvents(api, uncoded)).toEqual(uncodedBefore);
    expect(res.body.results.map((r) => r.projectId)).toEqual(good.map(idOf));
  });

  it('takes the file on the admin page: the dry run names the bad rows, in Chinese', async () => {
    const signIn = await system.app.request('/sign-in', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userId: 'admin', password: DEMO_PASSWORD, next: '' }).toString(),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const admin = await (await system.app.request('/app/admin', { headers: { cookie } })).text();
    expect(admin).toContain('href="/app/admin/imports"');
    const form = new FormData();
    form.set('chainId', 'industrial-enterprise');
    form.set('graceDays', '2');
    form.set('action', 'dry-run');
    form.set('file', new File([csv], '在办项目.csv', { type: 'text/csv' }));
    const res = await system.app.request('/app/admin/imports', {
      method: 'POST',
      headers: { cookie, origin: ORIGIN },
      body: form,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('试导入结果（未写入）');
    expect(html).toContain('代办员账号 agent-nobody 不存在或不是代办员');
    expect(html).toContain('此前已导入');
    // without a sign-in: sent to sign in
    expect((await system.app.request('/app/admin/imports')).status).toBe(303);
  });

  it('takes a file of a few hundred projects, over the usual body limit, in one request', async () => {
    const many = sampleImportRows(referenceChain, {
      count: 150,
      today: '2026-12-07',
      agentId: 'agent-wang',
      firstSerial: 60_000,
    });
    const big = rowsToCsv(keys, many);
    expect(big.length).toBeGreaterThan(256 * 1024);
    const res = await api.post<ImportReport>('/imports/projects/dry-run', 'admin', { ...request, csv: big });
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(150);
  });

  it('refuses an officer, an agent and an investor (403)', async () => {
    for (const who of ['officer-env', 'agent-wang', 'investor-jinling']) {
      expect((await api.post('/imports/projects', who, request)).status).toBe(403);
      expect((await api.post('/imports/projects/dry-run', who, request)).status).toBe(403);
      expect((await api.get('/imports/template.csv', who)).status).toBe(403);
    }
  });
});
