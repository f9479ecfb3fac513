import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { projectRegistration } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

type Event = {
  eventId: string;
  type: string;
  stepId?: string;
  partId?: string;
  actor: { userId: string; role: string };
  data?: { notApplicable?: string[] };
};

const stageOf = new Map(
  referenceChain.stages.flatMap((stage, index) => stage.steps.map((s) => [s.id, index] as const)),
);
const closingTypes = new Set(['step_decided', 'milestone_reported', 'joint_review_concluded']);

/** Where in the timeline a step closed: its decision, or the registration for a step that does not apply. */
function closedAt(events: Event[], stepId: string): number {
  const created = events.findIndex((e) => e.type === 'project_created');
  if (events[created]?.data?.notApplicable?.includes(stepId)) return created;
  // a part's decision does not close its joint review; the review's conclusion does
  return events.findIndex((e) => closingTypes.has(e.type) && e.stepId === stepId && !e.partId);
}

describe('a project on the reference chain (35 steps, two of them joint reviews)', () => {
  let system: LocalSystem;
  let api: ApiClient;
  let projectId: string;
  let events: Event[];
  const readyTogether: string[][] = [];
  const partsReviewedTogether: string[][] = [];

  beforeAll(async () => {
    // Prepare
    system = await startTestSystem();
    api = new ApiClient(system);
    const created = await api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ attributes: { hazardousWorks: true } }),
    );
    expect(created.status).toBe(201);
    projectId = created.body.projectId;

    // Act: the agent submits and the departments approve, through the HTTP API alone
    await driveProject(system, api, projectId, {
      stop: (view) => {
        readyTogether.push(
          allSteps(view)
            .filter((s) => s.status === 'ready')
            .map((s) => s.stepId),
        );
        partsReviewedTogether.push(
          allSteps(view).flatMap((s) =>
            (s.parts ?? []).filter((p) => p.status === 'in_review').map((p) => `${s.stepId}.${p.partId}`),
          ),
        );
        return false;
      },
    });
    await system.engine.settled();
    events = await allEvents<Event>(api, projectId, 'leader-zhang');
  });

  afterAll(async () => {
    await system.stop();
  });

  it('goes from creation to completed with every step submitted and decided', async () => {
    const view = await viewProject(api, projectId);
    expect(view.project.status).toBe('completed');
    const steps = allSteps(view);
    expect(steps).toHaveLength(35);
    // siteAreaM2 defaults to 30000 and hazardous works are declared: only 22 (no temporary works) does not apply
    expect(steps.filter((s) => s.status === 'not_applicable').map((s) => s.stepId)).toEqual(['22']);
    expect(steps.filter((s) => s.status !== 'not_applicable').every((s) => s.status === 'approved')).toBe(
      true,
    );
    for (const joint of steps.filter((s) => s.kind === 'joint')) {
      expect(joint.parts?.every((p) => p.status === 'approved')).toBe(true);
      expect(events.filter((e) => e.stepId === joint.stepId && e.type === 'step_submitted')).toHaveLength(1);
      expect(events.filter((e) => e.stepId === joint.stepId && e.type === 'step_decided')).toHaveLength(
        joint.parts?.length ?? 0,
      );
      expect(
        events.filter((e) => e.stepId === joint.stepId && e.type === 'joint_review_concluded'),
      ).toHaveLength(1);
    }
    for (const step of steps.filter((s) => s.status === 'approved' && s.kind === 'approval')) {
      expect(events.filter((e) => e.stepId === step.stepId && e.type === 'step_submitted')).toHaveLength(1);
      expect(events.filter((e) => e.stepId === step.stepId && e.type === 'step_decided')).toHaveLength(1);
    }
    expect(events.at(-1)?.type).toBe('project_completed');
  });

  it('runs the stages strictly in order', () => {
    for (const [index, opened] of events.entries()) {
      if (opened.type !== 'step_opened') continue;
      const stage = stageOf.get(opened.stepId ?? '') ?? 0;
      for (const earlier of referenceChain.stages.slice(0, stage).flatMap((s) => s.steps)) {
        const closed = closedAt(events, earlier.id);
        expect(
          closed,
          `step ${opened.stepId} opened before step ${earlier.id} of an earlier stage closed`,
        ).toBeGreaterThanOrEqual(0);
        expect(closed).toBeLessThan(index);
      }
    }
  });

  it('opens each step only after all its prerequisites in the stage have closed (27 waits for 23 and 26)', () => {
    const index = (type: string, stepId: string) =>
      events.findIndex((e) => e.type === type && e.stepId === stepId);
    for (const stage of referenceChain.stages) {
      const inStage = new Set(stage.steps.map((s) => s.id));
      for (const step of stage.steps) {
        const opened = index('step_opened', step.id);
        if (opened < 0) continue; // not applicable: never opens
        for (const prerequisite of step.prerequisites.filter((p) => inStage.has(p))) {
          const closed = closedAt(events, prerequisite);
          expect(closed, `step ${step.id} opened before ${prerequisite} closed`).toBeLessThan(opened);
        }
      }
    }
    expect(index('step_opened', '27')).toBeGreaterThan(index('joint_review_concluded', '23'));
    expect(index('step_opened', '27')).toBeGreaterThan(index('step_decided', '26'));
  });

  it('runs steps inside a stage in parallel as their prerequisites allow', () => {
    // after filing (1) is approved, its six dependents in stage 1 are open at the same time
    expect(readyTogether).toContainEqual(expect.arrayContaining(['2', '6', '7', '8', '9', '13', '14']));
    // the six departments of the joint acceptance (32) review side by side after works completion (31)
    expect(partsReviewedTogether).toContainEqual(
      expect.arrayContaining(['32.planning', '32.fire', '32.cad', '32.lightning', '32.env', '32.archives']),
    );
  });

  it('records the principal on every event', () => {
    for (const event of events) expect(event.actor.userId).toBeTruthy();
    const decided = events.find((e) => e.type === 'step_decided' && e.stepId === '7');
    expect(decided?.actor).toMatchObject({ userId: 'officer-env', role: 'officer' });
  });
});

describe('applicability', () => {
  let system: LocalSystem;
  let api: ApiClient;

  beforeAll(async () => {
    system = await startTestSystem();
    api = new ApiClient(system);
  });
  afterAll(async () => {
    await system.stop();
  });

  it('closes steps whose rule excludes them as not_applicable without anyone acting', async () => {
    // Prepare: a small site, no hazardous works, no civil air defence
    const created = await api.post(
      '/projects',
      'agent-wang',
      projectRegistration({
        attributes: { siteAreaM2: 8000, hazardousWorks: false, needsCivilAirDefence: false },
      }),
    );

    // Act
    await system.engine.settled();
    const view = await viewProject(api, created.body.projectId);
    const events = await allEvents<Event>(api, created.body.projectId, 'leader-zhang');

    // Assess
    const notApplicable = allSteps(view)
      .filter((s) => s.status === 'not_applicable')
      .map((s) => s.stepId);
    expect(notApplicable).toEqual(['10', '11', '14', '17', '22']);
    // the civil-air-defence parts of both joint reviews do not apply either
    const cadParts = allSteps(view).flatMap((s) => (s.parts ?? []).filter((p) => p.partId === 'cad'));
    expect(cadParts.map((p) => p.status)).toEqual(['not_applicable', 'not_applicable']);
    const registration = events.find((e) => e.type === 'project_created');
    expect(registration?.data?.notApplicable).toEqual(notApplicable);
    for (const step of allSteps(view).filter((s) => s.status === 'not_applicable')) {
      expect(step).toMatchObject({ decidedBy: 'system', reason: 'applicability rule' });
    }
  });
});
