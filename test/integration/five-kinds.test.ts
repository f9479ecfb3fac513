import { beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf } from '../../shared/domain/weekly-report.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { fixtureParts, fixtureStep } from '../support/chain-fixtures.js';
import { APPROVAL, projectRegistration } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/**
 * One project with one case of each kind (五件), on a small chain published for it (all four steps open at once):
 * - `window` (DRC, promised limit 0): decided at the window on submission → instant (即办件);
 * - `review` (DRC, 5 days): a supplement round, then approved → promised, supplement (补办件);
 * - `licence` (NRP, 5 days): rejected with reasons, re-applied and approved → promised, returned (退办件);
 * - `joint` (HUD leads, parts HUD and CAD): a joint review decided by its parts → promised, joint (联办件).
 */
const CHAIN = {
  id: 'five-kinds',
  version: 1,
  name: '五件测试流程',
  nameEn: 'Five kinds test chain',
  targetWorkingDays: 30,
  stages: [
    {
      id: 'only',
      name: '唯一阶段',
      nameEn: 'Only stage',
      leadDepartmentId: 'DRC',
      steps: [
        fixtureStep('window', [], { departmentId: 'DRC', promisedDays: 0, legalDays: 1 }),
        fixtureStep('review', [], { departmentId: 'DRC' }),
        fixtureStep('licence', [], { departmentId: 'NRP' }),
        fixtureStep('joint', [], {
          departmentId: 'HUD',
          parts: [{ ...fixtureParts.fire, promisedDays: 5 }, fixtureParts.cad],
        }),
      ],
    },
  ],
};

describe('a project with one case of each kind (五件)', () => {
  const t = useTestSystem();
  let projectId = '';

  beforeAll(async () => {
    const ok = async (what: string, answer: Promise<{ status: number; body: unknown }>) => {
      const res = await answer;
      if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      await t.system.caughtUp();
      return res;
    };
    await ok('publish', t.api.post('/chains', 'admin', CHAIN));
    const created = await ok(
      'register',
      t.api.post(
        '/projects',
        'agent-wang',
        projectRegistration({ name: '五件齐全项目', chainId: 'five-kinds' }),
      ),
    );
    projectId = (created.body as { projectId: string }).projectId;
    const step = (id: string) => `/projects/${projectId}/steps/${id}`;
    for (const id of ['window', 'review', 'licence', 'joint'])
      await ok(`submit ${id}`, t.api.post(`${step(id)}/submission`, 'agent-wang', { materials: [] }));
    await ok('instant', t.api.post(`${step('window')}/decision`, 'officer-drc', APPROVAL));
    await ok(
      'supplement',
      t.api.post(`${step('review')}/decision`, 'officer-drc', {
        outcome: 'supplement',
        missingMaterials: [{ name: '可行性研究报告', reason: '未附专家评审意见' }],
      }),
    );
    await ok(
      'resubmit',
      t.api.post(`${step('review')}/resubmission`, 'agent-wang', { supplied: ['可行性研究报告'] }),
    );
    await ok('approve review', t.api.post(`${step('review')}/decision`, 'officer-drc', APPROVAL));
    await ok('fire', t.api.post(`${step('joint')}/parts/fire/decision`, 'officer-hud', APPROVAL));
    await ok('cad', t.api.post(`${step('joint')}/parts/cad/decision`, 'officer-cad', APPROVAL));
    await ok(
      'reject',
      t.api.post(`${step('licence')}/decision`, 'officer-nrp', {
        outcome: 'rejected',
        legalBasis: '《城乡规划法》第四十条',
        reason: '建设用地规划条件不符',
      }),
    );
    await ok(
      'reapply',
      t.api.post(`${step('licence')}/reapplication`, 'agent-wang', { note: '已调整总平面' }),
    );
    await ok(
      'resubmit licence',
      t.api.post(`${step('licence')}/submission`, 'agent-wang', { materials: [] }),
    );
    await ok('approve licence', t.api.post(`${step('licence')}/decision`, 'officer-nrp', APPROVAL));
  });

  it('derives each step’s kinds from how it was decided', async () => {
    // Act
    const view = await t.api.get(`/projects/${projectId}`, 'investor-jinling');

    // Assess
    const steps = view.body.stages.flatMap((s: { steps: unknown[] }) => s.steps) as Array<{
      stepId: string;
      caseKinds: string[];
    }>;
    expect(Object.fromEntries(steps.map((s) => [s.stepId, s.caseKinds]))).toEqual({
      window: ['instant'],
      review: ['promised', 'supplement'],
      licence: ['promised', 'returned'],
      joint: ['promised', 'joint'],
    });
    expect(view.body.project.status).toBe('completed');
  });

  it('counts one of each in the weekly report', async () => {
    // Prepare
    const week = isoWeekOf(chinaDate(t.system.ctx.clock.now())).id;

    // Act
    const report = await t.api.post('/admin/reports/weekly', 'admin', { week });

    // Assess
    expect(report.status).toBe(201);
    expect(report.body.report.caseKinds).toEqual({
      instant: 1,
      promised: 3,
      joint: 1,
      returned: 1,
      supplement: 1,
    });
  });

  it('finds the project under each kind in the list', async () => {
    // Act
    const found = await Promise.all(
      ['instant', 'promised', 'joint', 'returned', 'supplement'].map(async (kind) => {
        const page = await t.api.get(`/projects?kind=${kind}`, 'leader-zhang');
        return page.body.projects.some((p: { projectId: string }) => p.projectId === projectId);
      }),
    );

    // Assess
    expect(found).toEqual([true, true, true, true, true]);
  });
});
