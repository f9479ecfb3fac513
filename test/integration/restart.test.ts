import { afterAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { referenceChain } from '../../shared/domain/reference/industrial-chain.js';
import { allEvents, allSteps, driveProject, viewProject } from '../support/drive.js';
import { projectRegistration, submissionOf } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

type Event = { eventId: string; type: string; stepId?: string };

describe('restarting the local runtime', () => {
  const systems: LocalSystem[] = [];
  afterAll(async () => {
    for (const system of systems) await system.stop();
  });

  it('recovers in-flight projects from DynamoDB: nothing lost, nothing duplicated', async () => {
    // Prepare: one project mid stage 2 with a step in review, another waiting for a supplement
    const tableName = `restart-${Date.now()}`;
    const first = await startTestSystem({ tableName });
    systems.push(first);
    const api1 = new ApiClient(first);
    const a = (await api1.post('/projects', 'agent-wang', projectRegistration())).body.projectId as string;
    const b = (await api1.post('/projects', 'agent-li', projectRegistration({ agentId: 'agent-li' }))).body
      .projectId as string;
    await driveProject(first, api1, a, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '16' && s.status === 'ready'),
    });
    await api1.post(`/projects/${a}/steps/16/submission`, 'agent-wang', submissionOf('16'));
    await driveProject(first, api1, b, {
      stop: (view) => allSteps(view).some((s) => s.stepId === '7' && s.status === 'ready'),
    });
    await api1.post(`/projects/${b}/steps/7/submission`, 'agent-li', submissionOf('7'));
    await api1.post(`/projects/${b}/steps/7/decision`, 'officer-env', {
      outcome: 'supplement',
      missingMaterials: [{ name: '环境影响报告表', reason: '缺少监测数据' }],
    });
    await first.engine.settled();
    const before = await allEvents<Event>(api1, a, 'leader-zhang');

    // Act: stop mid-chain (every waiting execution is dropped), start again on the same table, finish both
    await first.stop();
    const second = await startTestSystem({ tableName });
    systems.push(second);
    const recovered = await second.recover();
    await second.engine.settled();
    const api2 = new ApiClient(second);
    const afterRestart = await allEvents<Event>(api2, a, 'leader-zhang');
    await api2.post(`/projects/${b}/steps/7/resubmission`, 'agent-li', { supplied: ['环境影响报告表'] });
    await driveProject(second, api2, a);
    await driveProject(second, api2, b);

    // Assess
    expect(recovered).toMatchObject({ resumed: 2, parked: 2, started: 0 }); // both waited quietly
    expect(afterRestart).toEqual(before); // replay wrote nothing new
    for (const projectId of [a, b]) {
      const view = await viewProject(api2, projectId);
      expect(view.project.status).toBe('completed');
      const events = await allEvents<Event>(api2, projectId, 'leader-zhang');
      for (const step of allSteps(view).filter((s) => s.status === 'approved')) {
        expect(events.filter((e) => e.stepId === step.stepId && e.type === 'step_opened')).toHaveLength(1);
        // one decision per step, or per part of a joint review
        const deciders = step.parts ? step.parts.filter((p) => p.status !== 'not_applicable').length : 1;
        expect(
          events.filter(
            (e) => e.stepId === step.stepId && (e.type === 'step_decided' || e.type === 'milestone_reported'),
          ),
        ).toHaveLength(deciders);
      }
      expect(events.filter((e) => e.type === 'project_completed')).toHaveLength(1);
    }
  });

  it('resumes a project on the chain version it was registered on after a newer version is published', async () => {
    // Prepare: a project on version 1, then version 2 of the chain is published
    const tableName = `versions-${Date.now()}`;
    const first = await startTestSystem({ tableName });
    systems.push(first);
    const api1 = new ApiClient(first);
    const onV1 = (await api1.post('/projects', 'agent-wang', projectRegistration())).body.projectId as string;
    await first.engine.settled();
    await first.ctx.store.putChain({
      ...referenceChain,
      version: 2,
      name: `${referenceChain.name}（2027版）`,
    });
    await first.stop();

    // Act
    const second = await startTestSystem({ tableName });
    systems.push(second);
    const recovered = await second.recover();
    const api2 = new ApiClient(second);
    const onV2 = (await api2.post('/projects', 'agent-wang', projectRegistration())).body.project;
    await driveProject(second, api2, onV1);

    // Assess
    expect(recovered).toMatchObject({ resumed: 1, parked: 1 });
    expect(onV2.chainVersion).toBe(2);
    expect(
      await second.engine.describeExecution({
        name: `${onV2.projectId}-s0-g1`,
        chainKey: 'industrial-enterprise@2',
      }),
    ).toBe('RUNNING');
    expect((await viewProject(api2, onV1)).project.status).toBe('completed');
  });
});
