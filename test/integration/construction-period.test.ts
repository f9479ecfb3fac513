import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

type Event = {
  type: string;
  at: string;
  before?: { execution?: string | null };
  after?: { execution?: string };
  data?: { stageIndex?: number };
};

const DAY = 86_400_000;
/** The age at which this test's runtime renews an execution (AWS ends a Standard execution at one year). */
const MAX_AGE_DAYS = 300;
/** How often the scheduled job runs on the simulated clock here. */
const JOB_EVERY_DAYS = 5;

describe('a construction period of three years', () => {
  const clock = new ManualClock('2026-03-02T02:00:00Z');
  let system: LocalSystem;
  let api: ApiClient;
  beforeAll(async () => {
    system = await startTestSystem({
      clock,
      log: silentLogger,
      spine: { executionMaxAgeDays: MAX_AGE_DAYS },
    });
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system.stop();
  });

  it('completes, and no execution of the project lives longer than the limit set', async () => {
    // Prepare: the project through its construction permit (step 30), so step 31 (works completed) waits
    const projectId = (await api.post('/projects', 'agent-wang', projectRegistration())).body.projectId;
    await driveProject(system, api, projectId, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '31' && s.status === 'ready'),
    });

    // Act: three years of building, the scheduled job running every few days; then works are reported complete
    const permitted = clock.now().getTime();
    while (clock.now().getTime() - permitted < 3 * 365 * DAY) {
      clock.advanceDays(JOB_EVERY_DAYS);
      await system.runJob();
      await system.engine.settled();
    }
    const view = await driveProject(system, api, projectId);
    const events = await allEvents<Event>(api, projectId);

    // Assess
    expect(view.project.status).toBe('completed');
    // Every execution's life: from its start (registration, a stage end, a renewal) to its replacement or end.
    const starts = new Map<string, number>([[`${projectId}-s0-g1`, Date.parse(events[0]?.at ?? '')]]);
    const ages: Array<{ execution: string; days: number }> = [];
    for (const event of events) {
      if (event.type === 'stage_completed') {
        starts.set(`${projectId}-s${(event.data?.stageIndex ?? 0) + 1}-g1`, Date.parse(event.at));
      }
      if (event.type === 'execution_renewed' && event.before?.execution && event.after?.execution) {
        const started = starts.get(event.before.execution) ?? Number.NaN;
        ages.push({ execution: event.before.execution, days: (Date.parse(event.at) - started) / DAY });
        starts.set(event.after.execution, Date.parse(event.at));
      }
    }
    console.log(
      `executions renewed during construction (limit ${MAX_AGE_DAYS} days, job every ${JOB_EVERY_DAYS}):`,
      ages.map((a) => `${a.execution.replace(projectId, '…')} at ${a.days.toFixed(0)} days`).join(', '),
    );
    expect(ages.length).toBeGreaterThanOrEqual(3);
    for (const { days } of ages) {
      expect(days).toBeGreaterThanOrEqual(MAX_AGE_DAYS);
      expect(days).toBeLessThanOrEqual(MAX_AGE_DAYS + JOB_EVERY_DAYS);
    }
    // the execution that finished the project started after the last renewal, days before the end
    const last = (await viewProject(api, projectId)).project as unknown as { completedAt: string };
    const lastStart = Math.max(...starts.values());
    expect((Date.parse(last.completedAt) - lastStart) / DAY).toBeLessThan(MAX_AGE_DAYS);
  });
});
