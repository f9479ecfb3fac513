import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { JobLease } from '../../shared/app/sweep-lease.js';
import { newProgress } from '../../shared/app/sweep-progress.js';
import { beijing } from '../support/beijing-time.js';
import { projectsWithStepOneSubmitted, startOnClock } from '../support/clocked-system.js';
import { allSteps, viewProject } from '../support/drive.js';
import type { ApiClient } from '../support/local-system.js';

const PROJECTS = 10;

describe('the scheduled job on many items due at once', () => {
  // Thursday 26 November 2026, 09:00 in Beijing; each project's step 1 (promised 1 working day) due Friday
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  const projectIds: string[] = [];

  beforeAll(async () => {
    ({ system, api } = await startOnClock(clock));
    projectIds.push(...(await projectsWithStepOneSubmitted({ system, api }, PROJECTS, '到期项目')));
    // Monday 30 November: every step 1 is due its yellow, red, first rung and deemed approval at once
    clock.set(beijing('2026-11-30 09:00'));
  });
  afterAll(async () => {
    await system.stop();
  });

  it('starts nothing once its deadline has passed, and says how much it left to the next run', async () => {
    // Prepare
    const progress = newProgress('late-run', clock.now());

    // Act
    const report = await runScheduledJob(system.ctx, { stopBy: Date.now() - 1, progress, audit: false });

    // Assess
    expect(report.sla).toBe(0);
    expect(report.remaining).toBeGreaterThanOrEqual(PROJECTS);
    expect(progress).toMatchObject({ state: 'stopped', done: 0, remaining: report.remaining });
    expect(allSteps(await viewProject(api, projectIds[0] ?? '')).find((s) => s.stepId === '1')?.status).toBe(
      'in_review',
    );
  });

  it('does nothing while another run holds the job lease', async () => {
    // Prepare
    const other = new JobLease(system.ctx.store, 'another-run');
    expect(await other.acquire()).toBe(true);

    // Act
    const report = await runScheduledJob(system.ctx, { audit: false });
    await other.release();

    // Assess
    expect(report).toMatchObject({ skipped: true, sla: 0 });
  });

  it('works every due item, several at once, each deemed approved with a notice number of its own', async () => {
    // Prepare
    const progress = newProgress('storm-run', clock.now());

    // Act
    const report = await runScheduledJob(system.ctx, { concurrency: 4, progress, audit: false });
    await system.engine.settled();
    const again = await runScheduledJob(system.ctx, { concurrency: 4, audit: false });
    const numbers = await Promise.all(
      projectIds.map(async (projectId) => {
        const documents = (await api.get(`/projects/${projectId}/documents`, 'leader-zhang')).body.documents;
        return documents.find((d: { kind: string }) => d.kind === 'deemed_approval_notice')?.number as string;
      }),
    );

    // Assess
    expect(report).toMatchObject({ failures: 0, remaining: 0 });
    expect(progress).toMatchObject({ state: 'done', failures: 0 });
    expect(progress.done).toBeGreaterThanOrEqual(PROJECTS);
    for (const projectId of projectIds) {
      const step = allSteps(await viewProject(api, projectId)).find((s) => s.stepId === '1');
      expect(step?.status).toBe('deemed_approved');
    }
    expect(new Set(numbers).size).toBe(PROJECTS);
    expect(numbers.every((n) => /^超时默认〔2026〕第\d{4}号$/.test(n))).toBe(true);
    expect(again.sla).toBe(0);
  });

  it('tells the agent of every deemed approval once, in digests (汇总通知) where a flush held more than 3', async () => {
    // Act
    const notes = (await api.get('/me/notifications?limit=100', 'agent-wang')).body.notifications as Array<{
      kind: string;
      projectId?: string;
      digest?: Array<{ projectId?: string }>;
    }>;

    // Assess: every project named once, in a digest or a line of its own
    const deemed = notes.filter((n) => n.kind === 'deemed_approval');
    const named = deemed.flatMap((n) => (n.digest ? n.digest.map((d) => d.projectId) : [n.projectId]));
    expect(named.sort()).toEqual([...projectIds].sort());
    for (const n of deemed) if (n.digest) expect(n.digest.length).toBeGreaterThan(3);
  });
});
