import { describe, expect, it } from 'vitest';
import { transitionOps } from '../../shared/app/apply-transition.js';
import { loadState } from '../../shared/app/load.js';
import { SYSTEM_ACTOR } from '../../shared/domain/principal.js';
import { itemKey } from '../../shared/domain/project.js';
import type { ProjectState } from '../../shared/domain/transition.js';
import { CommitConflictError, type StoreOp } from '../../shared/store/store.port.js';
import { allSteps, driveProject, viewProject } from '../support/drive.js';
import { scanTable } from '../support/faults.js';
import { projectRegistration } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/** The stage of each step item of a project as the table holds it. */
const writtenStages = async (tableName: string, projectId: string): Promise<number[]> =>
  (await scanTable(tableName))
    .filter((item) => item.PK === `PROJECT#${projectId}` && String(item.SK).startsWith('STEP#'))
    .map((item) => Number(item.stageIndex));

const SMALL_SITE = { siteAreaM2: 8000, hazardousWorks: false, needsCivilAirDefence: false };

describe('the items of a project nothing has changed yet', () => {
  const t = useTestSystem();

  it('are not written at registration (only those its first stage opens are, then), and the project shows every step of every stage as before', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '派生步骤项目', attributes: SMALL_SITE }),
    );
    await t.system.engine.settled();

    // Act
    const stages = await writtenStages(t.system.tableName, created.body.projectId);
    const state = await loadState(t.system.ctx, created.body.projectId);
    const view = await viewProject(t.api, created.body.projectId);
    const lead = await t.api.get('/departments/DRC/stage-view?limit=100', 'officer-drc');

    // Assess: in the table, the one step the first stage's handlers opened; the other 44 derived, pending or not
    // applicable
    expect(created.status).toBe(201);
    expect(stages).toEqual([0]);
    expect(state.items.get('1')?.status).toBe('ready');
    expect(state.items.size).toBe(45);
    expect(state.unwritten?.size).toBe(44);
    for (const key of state.unwritten ?? []) {
      const item = state.items.get(key);
      expect(['pending', 'not_applicable']).toContain(item?.status);
      expect(item?.version).toBe(1);
    }
    const first = view.stages[0]?.steps ?? [];
    expect(first.map((s) => s.status)).toContain('not_applicable');
    // the first stage's lead department sees its steps as they are, derived or written
    const row = lead.body.projects.find((p: { projectId: string }) => p.projectId === created.body.projectId);
    expect(
      row.steps.map((s: { stepId: string; status: string; departmentId: string }) => [
        s.stepId,
        s.status,
        s.departmentId,
      ]),
    ).toEqual(
      state.chain.stages[0]?.steps.map((s) => [
        s.id,
        state.items.get(s.id)?.status,
        state.items.get(s.id)?.departmentId,
      ]),
    );
    const later = view.stages.slice(1).flatMap((s) => s.steps);
    expect(later.map((s) => s.status)).toContain('not_applicable');
    expect(later.every((s) => s.status === 'pending' || s.status === 'not_applicable')).toBe(true);
    expect(allSteps(view)).toHaveLength(35);
  });

  it('are written in the transaction that moves the project to their stage, and its lead department sees them', async () => {
    // Prepare
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '进入第二阶段项目', attributes: SMALL_SITE }),
    );
    const projectId = created.body.projectId;

    // Act: the first stage approved, step by step, until the second one starts
    await driveProject(t.system, t.api, projectId, {
      stop: (view) =>
        view.stages[1]?.steps.some((s) => s.status !== 'pending' && s.status !== 'not_applicable') ?? false,
    });
    const stages = await writtenStages(t.system.tableName, projectId);
    const state = await loadState(t.system.ctx, projectId);
    const lead = await t.api.get('/departments/NRP/stage-view', 'officer-nrp');

    // Assess
    expect(state.project.currentStageIndex).toBe(1);
    expect(stages.filter((s) => s === 1)).toHaveLength(8);
    expect(stages.filter((s) => s > 1)).toEqual([]);
    // of the first stage, those nothing changed (not applicable) are still derived
    expect(
      [...(state.unwritten ?? [])].every((key) => {
        const item = state.items.get(key);
        return (item?.stageIndex ?? 0) > 1 || (item?.stageIndex === 0 && item.status === 'not_applicable');
      }),
    ).toBe(true);
    expect(lead.status).toBe(200);
    const row = lead.body.projects.find((p: { projectId: string }) => p.projectId === projectId);
    const second = state.chain.stages[1]?.steps.map((s) => ({
      stepId: s.id,
      status: state.items.get(s.id)?.status,
    }));
    expect(
      row.steps.map((s: { stepId: string; status: string }) => ({ stepId: s.stepId, status: s.status })),
    ).toEqual(second);
  });

  it('is created by its first change, once: a second creation, or a check that it is still unwritten, then conflicts', async () => {
    // Prepare: a change to an item of the last stage, and a transition that relies on another one
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '派生步骤冲突项目', attributes: SMALL_SITE }),
    );
    await t.system.engine.settled();
    const state: ProjectState = await loadState(t.system.ctx, created.body.projectId);
    const [changed, relied] = [...state.items.values()].filter(
      (item) => item.stageIndex === 3 && item.status === 'pending' && !item.partId,
    );
    if (!changed || !relied) throw new Error('the reference chain has pending steps in its last stage');
    const after = {
      ...changed,
      blocked: true,
      version: changed.version + 1,
      updatedAt: new Date().toISOString(),
    };
    const { ops } = transitionOps(
      t.system.ctx,
      state,
      { changes: [{ before: changed, after }], events: [], owed: [], relies: [itemKey(relied)] },
      { actor: SYSTEM_ACTOR },
      new Date(),
    );
    const itemOps = ops.filter(
      (op) => op.op === 'put_item' || op.op === 'update_item' || op.op === 'check_item',
    );

    // Act
    await t.system.ctx.store.commit(ops);
    const again = await t.system.ctx.store
      .commit(itemOps.filter((op) => op.op === 'put_item'))
      .catch((error: unknown) => error);
    const written = await loadState(t.system.ctx, created.body.projectId);
    const reliedWritten: StoreOp[] = [{ op: 'put_item', item: relied }];
    await t.system.ctx.store.commit(reliedWritten);
    const check = await t.system.ctx.store
      .commit(itemOps.filter((op) => op.op === 'check_item'))
      .catch((error: unknown) => error);

    // Assess
    expect(itemOps).toEqual([
      { op: 'put_item', item: after },
      { op: 'check_item', item: relied, unwritten: true },
    ]);
    expect(again).toBeInstanceOf(CommitConflictError);
    expect(written.items.get(itemKey(changed))).toMatchObject({ blocked: true, version: 2 });
    expect(written.unwritten?.has(itemKey(changed))).toBe(false);
    expect(check).toBeInstanceOf(CommitConflictError);
  });

  it('relied on through the project (the many gates of a task handler): one condition, and any item written meanwhile conflicts', async () => {
    // Prepare: a change to one last-stage item relying on two others, checked through the project's workSeq
    const created = await t.api.post(
      '/projects',
      'agent-wang',
      projectRegistration({ name: '派生步骤序号项目', attributes: SMALL_SITE }),
    );
    await t.system.engine.settled();
    const state: ProjectState = await loadState(t.system.ctx, created.body.projectId);
    const [changed, relied, other] = [...state.items.values()].filter(
      (item) => item.stageIndex === 3 && item.status === 'pending' && !item.partId,
    );
    if (!changed || !relied || !other)
      throw new Error('the reference chain has pending steps in its last stage');
    const blocked = (item: typeof changed) => ({ ...item, blocked: true, version: item.version + 1 });
    const { ops } = transitionOps(
      t.system.ctx,
      state,
      {
        changes: [{ before: changed, after: blocked(changed) }],
        events: [],
        owed: [],
        relies: [itemKey(relied), itemKey(other)],
      },
      { actor: SYSTEM_ACTOR, reliesThroughProject: true },
      new Date(),
    );
    // meanwhile, another transaction writes one of the items relied on (and so the project's workSeq)
    const { ops: meanwhile } = transitionOps(
      t.system.ctx,
      state,
      { changes: [{ before: relied, after: blocked(relied) }], events: [], owed: [], relies: [] },
      { actor: SYSTEM_ACTOR },
      new Date(),
    );

    // Act
    await t.system.ctx.store.commit(meanwhile);
    const late = await t.system.ctx.store.commit(ops).catch((error: unknown) => error);

    // Assess
    expect(ops.filter((op) => op.op === 'check_item')).toEqual([]);
    expect(ops.find((op) => op.op === 'update_project')).toMatchObject({
      expectWorkSeq: state.project.workSeq ?? 0,
    });
    expect(late).toBeInstanceOf(CommitConflictError);
    expect((await loadState(t.system.ctx, created.body.projectId)).items.get(itemKey(changed))?.blocked).toBe(
      undefined,
    );
  });
});
