import { describe, expect, it } from 'vitest';
import { allEvents, allSteps, driveProject, type StepView, viewProject } from '../support/drive.js';
import { APPROVAL, projectRegistration } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

type Event = { type: string; stepId?: string; partId?: string };
type Notification = { title: string; message: string; projectId?: string };

/** 施工图联合审查: structure (HUD), fire (HUD fire unit), civil air defence (CAD, with a shelter), lightning (MET). */
const DRAWINGS = '23';
const PARTS = ['23.structure', '23.fire', '23.cad', '23.lightning'];

describe('a joint review (施工图联合审查) decided part by part', () => {
  const t = useTestSystem();

  it('ends as one supplement notice when fire asks and the others approve; after resubmission only fire reviews again', async () => {
    // Prepare: a project with a civil-air-defence shelter, its drawings submitted to all four parts
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '人防地下室综合体项目', attributes: { needsCivilAirDefence: true } }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      leave: PARTS,
      stop: (v) => allSteps(v).some((s) => s.stepId === DRAWINGS && s.status === 'in_review'),
    });
    const base = `/projects/${projectId}/steps/${DRAWINGS}/parts`;
    const part = async (partId: string) =>
      (
        allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === DRAWINGS) as StepView
      ).parts?.find((p) => p.partId === partId)?.status;
    const notices = async () =>
      ((await t.api.get('/me/notifications', 'agent-wang')).body.notifications as Notification[]).filter(
        (n) => n.projectId === projectId && n.title.includes('一次性告知'),
      );

    // Act: fire asks for two materials while structure, civil air defence and lightning approve
    const fire = await t.api.post(`${base}/fire/decision`, 'officer-hud', {
      outcome: 'supplement',
      missingMaterials: [
        { name: '消防设计专篇', reason: '疏散宽度计算缺失' },
        { name: '建筑防火分区图', reason: '地下车库防火分区超面积' },
      ],
    });
    const noticesWhileWaiting = (await notices()).length;
    for (const [partId, officer] of [
      ['structure', 'officer-hud'],
      ['cad', 'officer-cad'],
      ['lightning', 'officer-met'],
    ] as const) {
      expect((await t.api.post(`${base}/${partId}/decision`, officer, APPROVAL)).status).toBe(200);
    }
    await t.system.engine.settled();
    const afterAnswers = allSteps(await viewProject(t.api, projectId)).find((s) => s.stepId === DRAWINGS);
    const sent = await notices();
    const resubmitted = await t.api.post(
      `/projects/${projectId}/steps/${DRAWINGS}/resubmission`,
      'agent-wang',
      {
        supplied: ['消防设计专篇', '建筑防火分区图'],
      },
    );
    const partsAfterResubmission = {
      structure: await part('structure'),
      fire: await part('fire'),
      cad: await part('cad'),
      lightning: await part('lightning'),
    };
    const fireApproves = await t.api.post(`${base}/fire/decision`, 'officer-hud', APPROVAL);
    await t.system.engine.settled();

    // Assess
    expect(fire.status).toBe(200);
    expect(noticesWhileWaiting).toBe(0); // nothing reaches the agent while other parts still review
    expect(afterAnswers?.status).toBe('supplement_requested');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.message).toContain('消防设计专篇');
    expect(sent[0]?.message).toContain('建筑防火分区图');
    expect(resubmitted.status).toBe(200);
    expect(partsAfterResubmission).toEqual({
      structure: 'approved',
      fire: 'in_review',
      cad: 'approved',
      lightning: 'approved',
    });
    expect(fireApproves.status).toBe(200);
    const steps = allSteps(await viewProject(t.api, projectId));
    expect(steps.find((s) => s.stepId === DRAWINGS)?.status).toBe('approved');
    // the drawings' dependents open: the construction-drawing filing (24)
    expect(steps.find((s) => s.stepId === '24')?.status).toBe('ready');
    const events = await allEvents<Event>(t.api, projectId);
    const decidedParts = events
      .filter((e) => e.type === 'step_decided' && e.stepId === DRAWINGS)
      .map((e) => e.partId);
    expect(decidedParts.sort()).toEqual(['cad', 'fire', 'lightning', 'structure']);
    expect(events.filter((e) => e.type === 'supplement_requested' && e.stepId === DRAWINGS)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'joint_review_concluded' && e.stepId === DRAWINGS)).toHaveLength(
      1,
    );
  });

  it("shows each part in its own department's inbox, and the whole stage to its lead department", async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '地下综合管廊配套项目', attributes: { needsCivilAirDefence: true } }),
    );
    const projectId = created.body.projectId as string;
    await driveProject(t.system, t.api, projectId, {
      leave: PARTS,
      stop: (v) => allSteps(v).some((s) => s.stepId === DRAWINGS && s.status === 'in_review'),
    });

    // Act
    const inboxes = await Promise.all(
      ['HUD', 'CAD', 'MET'].map(async (dept) => {
        const res = await t.api.get(`/departments/${dept}/inbox?limit=100`, `officer-${dept.toLowerCase()}`);
        return (res.body.steps as Array<{ projectId: string; stepId: string; partId?: string }>)
          .filter((i) => i.projectId === projectId && i.stepId === DRAWINGS)
          .map((i) => i.partId)
          .sort();
      }),
    );

    const leadView = await t.api.get('/departments/HUD/stage-view?limit=100', 'officer-hud');
    const notLead = await t.api.get('/departments/HUD/stage-view', 'officer-met');

    // Assess
    expect(inboxes).toEqual([['fire', 'structure'], ['cad'], ['lightning']]);
    expect(leadView.status).toBe(200);
    const row = (
      leadView.body.projects as Array<{
        projectId: string;
        stage: { stageId: string; total: number; light: string | null };
        steps: Array<{
          stepId: string;
          departmentId: string;
          parts?: Array<{ partId: string; status: string }>;
        }>;
      }>
    ).find((p) => p.projectId === projectId);
    expect(row?.stage).toMatchObject({ stageId: 'stage-3', total: 8, light: 'green' });
    // the lead (HUD) sees the steps of other departments in its stage, and every part of the joint review
    expect(new Set(row?.steps.map((s) => s.departmentId))).toContain('WAT');
    expect(row?.steps.find((s) => s.stepId === DRAWINGS)?.parts?.map((p) => p.status)).toEqual([
      'in_review',
      'in_review',
      'in_review',
      'in_review',
    ]);
    expect(notLead.status).toBe(403);
  });
});
