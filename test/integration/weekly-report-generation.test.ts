import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/app/clock.js';
import type { AppContext } from '../../shared/app/context.js';
import { runScheduledJob } from '../../shared/app/scheduled-job.js';
import { ensureWeeklyReport, generateWeeklyReport } from '../../shared/app/weekly-report.js';
import {
  advanceGeneration,
  beginGeneration,
  generationGoingOn,
} from '../../shared/app/weekly-report-generation.js';
import { isoWeekNamed, isoWeekOf, type WeeklyReport } from '../../shared/domain/weekly-report.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { type ClockedSystem, projectsWithStepOneSubmitted, startOnClock } from '../support/clocked-system.js';
import { APPROVAL } from '../support/fixtures.js';

const admin = { userId: 'admin', role: 'admin' as const, name: '系统管理员' };
const NOW = new Date('2026-11-26T01:00:00Z'); // Thursday 26 November 2026, 09:00 in Beijing
const WEEK = isoWeekOf(chinaDate(NOW));
const PROJECTS = 7;

/** The report without the instant it was generated at (reports of the same projects compare equal). */
const figures = ({ generatedAt: _, ...rest }: WeeklyReport) => rest;

/** A store whose first `failures` reads of a project's working set fail (DynamoDB throttling a page). */
function failingReads(ctx: AppContext, failures: number): AppContext {
  let left = failures;
  const store = new Proxy(ctx.store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name !== 'loadProject' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (left > 0) {
          left -= 1;
          return Promise.reject(new Error('ProvisionedThroughputExceededException'));
        }
        return value.apply(target, args);
      };
    },
  });
  return { ...ctx, store };
}

/**
 * A weekly report reads every project changed in its week: at 10,000 in flight, more than a Lambda run's minute or
 * an API request's 29 s. Its generation is kept between runs (the week's tally and a cursor), so it is made over as
 * many runs as it takes, each a page further, and comes out the same as made in one go.
 */
describe('the generation of a weekly report, over several runs', () => {
  const clock = new ManualClock(NOW);
  let started: ClockedSystem;
  let ctx: AppContext;
  let inOneGo: WeeklyReport;

  beforeAll(async () => {
    started = await startOnClock(clock);
    ctx = started.system.ctx;
    const projectIds = await projectsWithStepOneSubmitted(started, PROJECTS, '周报项目');
    for (const projectId of projectIds.slice(0, 4)) {
      await started.api.post(`/projects/${projectId}/steps/1/decision`, 'officer-drc', APPROVAL);
    }
    await started.system.engine.settled();
    const made = await generateWeeklyReport(ctx, admin, WEEK.id, { budgetMs: Number.POSITIVE_INFINITY });
    if (!('report' in made)) throw new Error('the report was not made in one go');
    inOneGo = made.report;
  });
  afterAll(async () => {
    await started?.system.stop();
  });

  it('makes the same report a page at a time, each run stopping at its deadline and the next taking it up', async () => {
    // Prepare
    await beginGeneration(ctx, WEEK, true);

    // Act: every run stops after one page of two projects
    let report: WeeklyReport | undefined;
    let runs = 0;
    while (!report && runs < 20) {
      runs += 1;
      report = await advanceGeneration(ctx, { stopBy: 0, pageSize: 2 });
    }

    // Assess
    expect(inOneGo.projects.started).toBe(PROJECTS);
    expect(inOneGo.steps.decided).toBe(4);
    expect(runs).toBeGreaterThanOrEqual(Math.ceil(PROJECTS / 2));
    expect(report && figures(report)).toEqual(figures(inOneGo));
    expect(await generationGoingOn(ctx)).toBeUndefined();
  });

  it('counts no page twice when two runs take the same generation further at once', async () => {
    // Prepare
    await beginGeneration(ctx, WEEK, true);

    // Act
    const [a, b] = await Promise.all([
      advanceGeneration(ctx, { stopBy: Number.POSITIVE_INFINITY, pageSize: 1 }),
      advanceGeneration(ctx, { stopBy: Number.POSITIVE_INFINITY, pageSize: 1 }),
    ]);
    const stored = (await started.api.get(`/reports/weekly/${WEEK.id}`, 'admin')).body.report;

    // Assess: one of them finished it; the other stopped when its write lost
    const finished = a ?? b;
    expect(finished && figures(finished)).toEqual(figures(inOneGo));
    expect(figures(stored)).toEqual(figures(inOneGo));
  });

  it('reads a page again after its reads failed, counting nothing of it', async () => {
    // Prepare
    await beginGeneration(ctx, WEEK, true);

    // Act: the first page's reads are throttled; the next run goes on
    const failed = await advanceGeneration(failingReads(ctx, 1), { stopBy: 0, pageSize: 3 }).catch(
      (error: unknown) => error,
    );
    const halfway = await generationGoingOn(ctx);
    let report: WeeklyReport | undefined;
    for (let run = 0; !report && run < 10; run += 1) {
      report = await advanceGeneration(ctx, { stopBy: 0, pageSize: 3 });
    }

    // Assess
    expect(String(failed)).toContain('ProvisionedThroughputExceededException');
    expect(halfway).toMatchObject({ week: WEEK.id, read: 0 });
    expect(report && figures(report)).toEqual(figures(inOneGo));
  });

  it("answers that an admin's generation goes on in the background when it takes longer than the request, and the scheduled job finishes it", async () => {
    // Act: no time in the request for more than its first page of two projects
    const answered = await generateWeeklyReport(ctx, admin, WEEK.id, { budgetMs: 0, pageSize: 2 });
    const job = await runScheduledJob(ctx, { weeklyReport: true, audit: false, imports: false });

    // Assess
    expect(answered).toMatchObject({ generating: { week: WEEK.id } });
    expect(job.weeklyReports).toBe(1);
    expect(await generationGoingOn(ctx)).toBeUndefined();
    const stored = (await started.api.get(`/reports/weekly/${WEEK.id}`, 'admin')).body.report;
    expect(figures(stored)).toEqual(figures(inOneGo));
  });

  it("refuses to start another week's report while one is being generated, and joins the same week's", async () => {
    // Prepare
    const weekBefore = isoWeekNamed('2026-W47');
    if (!weekBefore) throw new Error('no such week');
    await beginGeneration(ctx, WEEK, true);

    // Act
    const other = await started.api.post('/admin/reports/weekly', 'admin', { week: weekBefore.id });
    const same = await beginGeneration(ctx, WEEK, true).then(
      () => 'joined',
      (error: unknown) => error,
    );
    const finished = await ensureWeeklyReport(ctx, NOW, { stopBy: Number.POSITIVE_INFINITY });

    // Assess
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'REPORT.GENERATING' });
    expect(other.body.error.message).toContain(WEEK.id);
    expect(same).toBe('joined');
    expect(finished).toBe(true);
  });
});
