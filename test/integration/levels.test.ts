import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { RecordedMetrics } from '../../shared/app/metrics.js';
import { beijing } from '../support/beijing-time.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { APPROVAL, projectRegistration, submissionOf, TEST_DOCUMENT } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/**
 * 上下协同: a large project's EIA (step 7) sits with the city's 生态环境局 (ENV_CITY). The agent carries the originals
 * of several projects up in one batch, and collects the approvals; the district tracks the steps like any other.
 */
describe('a batch carried up to the city', () => {
  // Monday 30 November 2026, 09:00 in Beijing
  const clock = new ManualClock(beijing('2026-11-30 09:00'));
  const metrics = new RecordedMetrics();
  let system: LocalSystem;
  let api: ApiClient;
  const projects: string[] = [];

  const step7 = async (projectId: string) =>
    allSteps(await viewProject(api, projectId)).find((s) => s.stepId === '7') as any;
  /** A large project of agent-wang's, its filing approved, so its EIA (7) is ready at the city. */
  const largeProject = async (name: string) => {
    const res = await api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name, attributes: { eiaReportBook: true } }),
    );
    const projectId = res.body.projectId as string;
    await driveProject(system, api, projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    return projectId;
  };

  beforeAll(async () => {
    system = await startTestSystem({ clock, log: silentLogger, metrics });
    api = new ApiClient(system);
    projects.push(await largeProject('长江新材料产业园'), await largeProject('江北化工新材料基地'));
  });
  afterAll(async () => {
    await system.stop();
  });

  it('shows the EIA of a large project held by the city, at city level', async () => {
    // Act
    const step = await step7(projects[0] ?? '');

    // Assess
    expect(step).toMatchObject({
      departmentId: 'ENV_CITY',
      departmentName: '市生态环境局',
      departmentLevel: 'city',
      status: 'ready',
    });
  });

  it('carries the batch up: every step in review, its clock counting working days from the trip', async () => {
    // Prepare
    const assembled = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: projects.map((projectId) => ({ projectId, stepId: '7' })),
      note: '第一批环评原件',
    });
    expect(assembled.status).toBe(201);
    const batchId = assembled.body.batch.batchId;
    clock.set(beijing('2026-11-30 10:00'));

    // Act
    const carried = await api.post(`/batches/${batchId}/carried`, 'agent-wang', {});
    clock.set(beijing('2026-12-16 10:00'));
    const steps = await Promise.all(projects.map(step7));

    // Assess: accepted Monday 30 November, 15 working days promised: due Monday 21 December; on Wednesday 16
    // December 12 working days have gone and 3 are left, past 75% of the limit: yellow
    expect(carried.status).toBe(200);
    expect(carried.body.batch).toMatchObject({ status: 'carried', carriedAt: '2026-11-30T02:00:00.000Z' });
    for (const step of steps) {
      expect(step).toMatchObject({ status: 'in_review', batchId, dueDate: '2026-12-21' });
      expect(step.clock).toMatchObject({
        acceptedOn: '2026-11-30',
        elapsedWorkingDays: 12,
        promisedDaysLeft: 3,
        light: 'yellow',
      });
    }
    const inbox = await api.get('/departments/ENV_CITY/inbox', 'leader-zhang');
    expect(inbox.body.steps.map((s: any) => s.light)).toEqual(['yellow', 'yellow']);
  });

  it('collects the approvals: each step decided through the decision path, with its document, in one go', async () => {
    // Prepare
    const batchId = (await api.get('/batches', 'agent-wang')).body.batches[0].batchId;
    const countedBefore = metrics.total('Decisions');

    // Act
    const collected = await api.post(`/batches/${batchId}/collection`, 'agent-wang', {
      decisions: [
        { itemId: '1', outcome: 'approved', document: { number: '宁环审〔2026〕201号', date: '2026-12-15' } },
        {
          itemId: '2',
          outcome: 'approved_with_conditions',
          conditions: ['落实危废贮存设施防渗措施'],
          document: { number: '宁环审〔2026〕202号', date: '2026-12-16' },
        },
      ],
    });
    await system.engine.settled();
    const steps = await Promise.all(projects.map(step7));
    const events = await allEvents<any>(api, projects[0] ?? '');

    // Assess
    expect(collected.status).toBe(200);
    expect(collected.body.batch).toMatchObject({
      status: 'collected',
      items: [
        { itemId: '1', outcome: 'approved', documentNumber: '宁环审〔2026〕201号' },
        { itemId: '2', outcome: 'approved_with_conditions', documentNumber: '宁环审〔2026〕202号' },
      ],
    });
    expect(steps[0]).toMatchObject({
      status: 'approved',
      decidedBy: 'agent-wang',
      decidedVia: 'upper_level',
      approvalDocument: { number: '宁环审〔2026〕201号', date: '2026-12-15', source: 'department' },
    });
    expect(steps[0].lateByDays).toBeUndefined();
    expect(steps[0].clock).toMatchObject({ running: false, elapsedWorkingDays: 12, light: null });
    expect(steps[1]).toMatchObject({ status: 'approved', conditions: ['落实危废贮存设施防渗措施'] });
    expect(events.filter((e) => e.stepId === '7').map((e) => [e.type, e.data?.batchId])).toEqual([
      ['step_opened', undefined],
      ['step_submitted', batchId],
      ['step_decided', batchId],
    ]);
    const inbox = await api.get('/departments/ENV_CITY/inbox', 'leader-zhang');
    expect(inbox.body.steps).toEqual([]);
    // two upper-level decisions recorded, each counted once, as an officer's decision is
    expect(metrics.total('Decisions') - countedBefore).toBe(2);
  });
});

describe('what a batch refuses (all or nothing)', () => {
  let system: LocalSystem;
  let api: ApiClient;
  const ready7 = async (agent: string, attributes: Record<string, unknown>) => {
    const res = await api.post('/projects', agent, projectRegistration({ agentId: agent, attributes }));
    await driveProject(system, api, res.body.projectId, {
      stop: (v) => allSteps(v).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    return res.body.projectId as string;
  };

  /** Two report-book EIAs (step 7) of agent Wang's, assembled into one batch for the city's 生态环境局. */
  const twoEiasBatched = async () => {
    const first = await ready7('agent-wang', { eiaReportBook: true });
    const second = await ready7('agent-wang', { eiaReportBook: true });
    const batch = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [
        { projectId: first, stepId: '7' },
        { projectId: second, stepId: '7' },
      ],
    });
    return { first, second, batchId: batch.body.batch.batchId as string };
  };

  beforeAll(async () => {
    system = await startTestSystem({ log: silentLogger });
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system.stop();
  });

  it('refuses a step held by another department, and another agent’s project, naming the first', async () => {
    // Prepare
    const city = await ready7('agent-wang', { eiaReportBook: true });
    const district = await ready7('agent-wang', {});
    const foreign = await ready7('agent-li', { eiaReportBook: true });

    // Act
    const mixed = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [
        { projectId: city, stepId: '7' },
        { projectId: district, stepId: '7' },
      ],
    });
    const notMine = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [{ projectId: foreign, stepId: '7' }],
    });
    const toDistrict = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV',
      items: [{ projectId: district, stepId: '7' }],
    });

    // Assess
    expect(mixed.status).toBe(409);
    expect(mixed.body.error.code).toBe('BATCH.OTHER_DEPARTMENT');
    expect(mixed.body.error.message).toMatch(/held by ENV, not 市生态环境局 \(ENV_CITY\)/);
    expect(notMine.status).toBe(404);
    expect(toDistrict.status).toBe(400);
    expect(toDistrict.body.error.code).toBe('BATCH.DISTRICT_DEPARTMENT');
  });

  it('carries nothing when one step is no longer ready, and names it', async () => {
    // Prepare: two steps assembled; then the agent submits one of them on its own
    const { first, second, batchId } = await twoEiasBatched();
    await api.post(`/projects/${second}/steps/7/submission`, 'agent-wang', submissionOf('7'));

    // Act
    const carried = await api.post(`/batches/${batchId}/carried`, 'agent-wang', {});
    const stillReady = allSteps(await viewProject(api, first)).find((s) => s.stepId === '7');
    const after = await api.get(`/batches/${batchId}`, 'agent-wang');

    // Assess
    expect(carried.status).toBe(409);
    expect(carried.body.error.code).toBe('BATCH.STEP_NOT_READY');
    expect(carried.body.error.message).toMatch(
      /item 2 .*step 7.*Nothing in the batch was recorded as carried/,
    );
    expect(stillReady?.status).toBe('ready');
    expect(after.body.batch.status).toBe('assembling');
  });

  it('collects every item at once, approvals with their documents, and only once', async () => {
    // Prepare
    const projectId = await ready7('agent-wang', { eiaReportBook: true });
    const batch = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [{ projectId, stepId: '7' }],
    });
    const batchId = batch.body.batch.batchId;
    const early = await api.post(`/batches/${batchId}/collection`, 'agent-wang', {
      decisions: [{ itemId: '1', ...APPROVAL }],
    });
    await api.post(`/batches/${batchId}/carried`, 'agent-wang', {});

    // Act
    const noDocument = await api.post(`/batches/${batchId}/collection`, 'agent-wang', {
      decisions: [{ itemId: '1', outcome: 'approved' }],
    });
    const collected = await api.post(`/batches/${batchId}/collection`, 'agent-wang', {
      decisions: [{ itemId: '1', ...APPROVAL }],
    });
    const again = await api.post(`/batches/${batchId}/carried`, 'agent-wang', {});
    const twice = await api.post(`/batches/${batchId}/collection`, 'agent-wang', {
      decisions: [{ itemId: '1', ...APPROVAL }],
    });

    // Assess
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('BATCH.NOT_CARRIED');
    expect(noDocument.status).toBe(400);
    expect(noDocument.body.error.message).toMatch(/document/);
    expect(collected.status).toBe(200);
    expect(again.body.error.code).toBe('BATCH.ALREADY_CARRIED');
    expect(twice.body.error.code).toBe('BATCH.ALREADY_COLLECTED');
  });

  it("lets the stage's lead department record an upper-level decision on one step, but not another district department", async () => {
    // Prepare: stage 1 is led by 发改局 (DRC)
    const projectId = await ready7('agent-wang', { eiaReportBook: true });
    await api.post(`/projects/${projectId}/steps/7/submission`, 'agent-wang', submissionOf('7'));

    // Act
    const stranger = await api.post(`/projects/${projectId}/steps/7/decision`, 'officer-wat', APPROVAL);
    const lead = await api.post(`/projects/${projectId}/steps/7/decision`, 'officer-drc', {
      outcome: 'approved',
      document: { number: '宁环审〔2026〕300号', date: TEST_DOCUMENT.date },
    });

    // Assess
    expect(stranger.status).toBe(403);
    expect(lead.status).toBe(200);
    expect(lead.body.step).toMatchObject({
      status: 'approved',
      decidedBy: 'officer-drc',
      decidedVia: 'upper_level',
      approvalDocument: { number: '宁环审〔2026〕300号' },
    });
  });

  it('drops an item its department decided directly meanwhile, records the drop, and collects the rest', async () => {
    // Prepare: two EIAs carried up together; the city decides the first directly (its own window)
    const { first, second, batchId } = await twoEiasBatched();
    await api.post(`/batches/${batchId}/carried`, 'agent-wang', {});
    const direct = await api.post(`/projects/${first}/steps/7/decision`, 'officer-env_city', APPROVAL);

    // Act: the agent collects what is left (with or without a word on the first)
    const collected = await api.post(`/batches/${batchId}/collection`, 'agent-wang', {
      decisions: [{ itemId: '2', ...APPROVAL }],
    });

    // Assess
    expect(direct.status).toBe(200);
    expect(collected.status).toBe(200);
    expect(collected.body.batch.status).toBe('collected');
    expect(collected.body.batch.items[0]).toMatchObject({ itemId: '1', dropped: { status: 'approved' } });
    expect(collected.body.batch.items[1]).toMatchObject({ itemId: '2', outcome: 'approved' });
    expect(allSteps(await viewProject(api, second)).find((s) => s.stepId === '7')?.status).toBe('approved');
  });

  it('refuses a step already in an open batch, and lets the agent edit or cancel a batch before it is carried', async () => {
    // Prepare
    const { first, second, batchId } = await twoEiasBatched();

    // Act
    const again = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [{ projectId: first, stepId: '7' }],
    });
    const edited = await api.post(`/batches/${batchId}/edit`, 'agent-wang', {
      remove: ['1'],
      reason: '该项目改由企业自行报送',
    });
    const freed = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [{ projectId: first, stepId: '7' }],
    });
    const emptied = await api.post(`/batches/${batchId}/edit`, 'agent-wang', {
      remove: ['2'],
      reason: '全部撤回',
    });
    const cancelled = await api.post(`/batches/${batchId}/cancellation`, 'agent-wang', {
      reason: '市局窗口暂停收件',
    });
    const carriedAfter = await api.post(`/batches/${batchId}/carried`, 'agent-wang', {});
    const secondAgain = await api.post('/batches', 'agent-wang', {
      departmentId: 'ENV_CITY',
      items: [{ projectId: second, stepId: '7' }],
    });
    const efficiency = await api.get('/batches', 'efficiency-office');

    // Assess
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('BATCH.STEP_IN_OPEN_BATCH');
    expect(again.body.error.message).toContain(batchId);
    expect(edited.status).toBe(200);
    expect(edited.body.batch.items.map((i: { itemId: string }) => i.itemId)).toEqual(['2']);
    expect(edited.body.batch.removed[0]).toMatchObject({ itemId: '1', reason: '该项目改由企业自行报送' });
    expect(freed.status).toBe(201);
    expect(emptied.status).toBe(400);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.batch).toMatchObject({
      status: 'cancelled',
      cancelled: { reason: '市局窗口暂停收件' },
    });
    expect(carriedAfter.status).toBe(409);
    expect(secondAgain.status).toBe(201);
    expect(efficiency.status).toBe(200);
    expect(efficiency.body.batches).toEqual([]);
  });
});
