import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../shared/domain/decision.js';
import type { Department } from '../../../../shared/domain/department.js';
import { decisionEffects } from '../../../../shared/domain/effects/decision-effects.js';
import type { EffectWrite } from '../../../../shared/domain/effects/effect-writes.js';
import { notificationsOf } from '../../../../shared/domain/effects/notifications-of.js';
import { transitionEffects } from '../../../../shared/domain/effects/transition-effects.js';
import type { Principal } from '../../../../shared/domain/principal.js';
import type { ProjectState } from '../../../../shared/domain/transition.js';
import { twoStageChain } from '../../../support/chain-fixtures.js';
import { calendar, submitted } from '../../../support/lifecycle.js';
import { chinaTime, projectState } from '../../../support/project-state.js';

/**
 * A transition's every effect, stated by the domain from what was read once: the writes of its one transaction, the
 * signals it owes, the counters it adds and the project as written. No store, no Java.
 */

const departments: Department[] = [
  { id: 'NRP', name: '自然资源和规划局', nameEn: 'Natural resources', level: 'district' },
  { id: 'DRC', name: '发展和改革委员会', nameEn: 'Development and reform', level: 'district' },
];
const officer: Principal = { userId: 'officer-zhao', role: 'officer', name: '赵', departmentId: 'NRP' };
const now = chinaTime('2026-03-04 10:00');

/** 1a (NRP) in review, its task waiting on token-1a. */
const inReview = (): ProjectState => {
  const state = submitted(
    projectState(twoStageChain(), { items: { '1a': { status: 'ready' } } }),
    '1a',
    '2026-03-02 10:00',
  );
  return { ...state, tokens: new Map([['1a', { task: { token: 'token-1a', execution: 'exec-1' } }]]) };
};

function decide(
  decision: Decision,
  numbering = { year: '2026', sequence: 'supplement-notice#2026', previous: 41, taken: 0 },
) {
  let id = 0;
  return decisionEffects({
    principal: officer,
    state: inReview(),
    target: { stepId: '1a' },
    decision,
    now,
    calendar,
    sla: undefined,
    newId: () => `ID${String(++id).padStart(4, '0')}`,
    outboxGraceSeconds: 30,
    departments,
    numbering,
  });
}

const ops = (writes: readonly { op: string }[]) => writes.map((w) => w.op);

describe('the effects of a decision', () => {
  it('writes the decided step on its version, its event, the workbench summary and the outbox in one transaction', () => {
    // Act
    const effects = decide({ outcome: 'approved' });

    // Assess
    const kinds = ops(effects.writes);
    expect(kinds[0]).toBe('update_item');
    expect(kinds).toEqual(expect.arrayContaining(['put_event', 'update_project']));
    expect(kinds.at(-1)).toBe('put_outbox');
    expect(effects.decided.status).toBe('approved');
    expect(effects.after.items.get('1a')?.status).toBe('approved');
  });

  it('owes the waiting task its outcome, with the token as read (checked in the same transaction through the project’s tokenSeq)', () => {
    // Act
    const effects = decide({ outcome: 'approved' });

    // Assess
    expect(effects.outbox?.sends).toEqual([
      {
        type: 'task_success',
        token: 'token-1a',
        output: { stepId: '1a', outcome: 'approved' },
        what: '1a approved',
      },
    ]);
    expect(ops(effects.writes)).not.toContain('check_token');
    expect(effects.writes).toContainEqual(
      expect.objectContaining({ op: 'update_project', expectTokenSeq: 0 }),
    );
    expect(effects.outbox?.retryAt).toBe(new Date(now.getTime() + 30_000).toISOString());
  });

  it('records who decided, when, with ids given as data', () => {
    // Act
    const effects = decide({ outcome: 'approved' });

    // Assess
    const event = effects.writes.find((w) => w.op === 'put_event');
    expect(event).toMatchObject({
      op: 'put_event',
      event: {
        eventId: 'ID0001',
        at: now.toISOString(),
        actor: { userId: 'officer-zhao', role: 'officer', departmentId: 'NRP' },
      },
    });
    expect(effects.outbox?.outboxId).toBe('ID0002');
  });

  it('counts the decision against the department and the agent, in the month of the change', () => {
    // Act
    const effects = decide({ outcome: 'approved' });

    // Assess
    expect(effects.counters.map((c) => `${c.dimension}:${c.id}:${c.month}`).sort()).toEqual([
      'agent:agent-wang:2026-03',
      'department:NRP:2026-03',
    ]);
  });

  it('issues the numbered 一次性告知书, tells the agent and takes the number, when it asks for materials', () => {
    // Act
    const effects = decide({
      outcome: 'supplement',
      missingMaterials: [{ name: '土地权属证明', reason: '未提供' }],
    });

    // Assess
    const writes = effects.writes as EffectWrite[];
    expect(writes).toContainEqual({
      op: 'take_serial',
      sequence: 'supplement-notice#2026',
      expected: 41,
      next: 42,
    });
    expect(writes).toContainEqual({
      op: 'put_document',
      document: expect.objectContaining({ number: '补正告知〔2026〕第0042号' }),
    });
    expect(writes).toContainEqual({
      op: 'put_notification',
      notification: expect.objectContaining({ userId: 'agent-wang', kind: 'supplement' }),
    });
  });

  it('refuses an officer of another department, stating nothing', () => {
    // Act
    const act = () =>
      decisionEffects({
        principal: { ...officer, departmentId: 'DRC' },
        state: inReview(),
        target: { stepId: '1a' },
        decision: { outcome: 'approved' },
        now,
        calendar,
        sla: undefined,
        newId: () => 'ID',
        outboxGraceSeconds: 30,
        departments,
        numbering: undefined,
      });

    // Assess
    expect(act).toThrow();
  });
});

/** A transition's effects input as any use case gives it: the officer acting now, ids all `ID`. */
const inputOf = (state: ProjectState, transition: Parameters<typeof transitionEffects>[0]['transition']) => ({
  state,
  transition,
  actor: officer,
  now,
  calendar,
  newId: () => 'ID',
  outboxGraceSeconds: 30,
  reference: { departments },
});

describe('the effects of any transition', () => {
  it('sends a task handler’s own token, stored in the same transaction, instead of checking the one read', () => {
    // Prepare
    const state = inReview();
    const transition = decideTransitionOf(state);

    // Act
    const effects = transitionEffects({
      ...inputOf(state, transition),
      storeTokens: [{ itemKey: '1a', kind: 'task', ref: { token: 'token-new', execution: 'exec-2' } }],
    });

    // Assess
    expect(effects.outbox?.sends[0]).toMatchObject({ type: 'task_success', token: 'token-new' });
    expect(effects.writes).toContainEqual(expect.objectContaining({ op: 'put_token', itemKey: '1a' }));
  });

  it('checks the tokens it signals through one condition on the project’s tokenSeq, not one item each', () => {
    // Prepare
    const state = { ...inReview(), project: { ...inReview().project, tokenSeq: 3 } };

    // Act
    const effects = transitionEffects(inputOf(state, decideTransitionOf(state)));

    // Assess
    expect(ops(effects.writes)).not.toContain('check_token');
    expect(effects.writes).toContainEqual(
      expect.objectContaining({ op: 'update_project', expectTokenSeq: 3 }),
    );
    expect(effects.outbox?.sends[0]).toMatchObject({ type: 'task_success', token: 'token-1a' });
  });

  it('keeps a task handler’s token checks its own (handlers of one project store tokens at the same moment)', () => {
    // Prepare: a handler storing 1b's token while 1a's outcome goes to the token read
    const state = { ...inReview(), project: { ...inReview().project, tokenSeq: 3 } };

    // Act
    const effects = transitionEffects({
      ...inputOf(state, decideTransitionOf(state)),
      storeTokens: [{ itemKey: '1b', kind: 'gate', ref: { token: 'token-gate', execution: 'exec-1' } }],
    });

    // Assess
    expect(effects.writes).toContainEqual(
      expect.objectContaining({ op: 'check_token', itemKey: '1a', token: 'token-1a' }),
    );
    expect(effects.writes).not.toContainEqual(expect.objectContaining({ expectTokenSeq: 3 }));
    expect(effects.writes).toContainEqual(
      expect.objectContaining({ op: 'update_project', addTokenSeq: true }),
    );
  });

  it('counts a token stored alone on the project’s tokenSeq, its summary and updatedAt left as they are', () => {
    // Prepare
    const state = inReview();

    // Act
    const effects = transitionEffects({
      ...inputOf(state, { changes: [], events: [], owed: [], relies: [] }),
      storeTokens: [{ itemKey: '1a', kind: 'task', ref: { token: 'token-new', execution: 'exec-2' } }],
    });

    // Assess
    expect(effects.writes).toContainEqual({
      op: 'update_project',
      projectId: state.project.projectId,
      at: now.toISOString(),
      change: {},
      touch: false,
      addTokenSeq: true,
    });
    expect(effects.writes).not.toContainEqual(expect.objectContaining({ work: expect.anything() }));
  });

  it('says whose users were not read rather than telling nobody', () => {
    // Act
    const act = () =>
      notificationsOf(
        [{ kind: 'breach', title: 't', message: 'm', audiences: [{ departmentId: 'NRP' }] }],
        { users: new Map(), departments },
        now,
        () => 'ID',
      );

    // Assess
    expect(act).toThrow(/dept:NRP/);
  });
});

/** The approval of 1a as the decision rule states it (through the decision's own effects). */
function decideTransitionOf(state: ProjectState) {
  const decided = decide({ outcome: 'approved' });
  const after = decided.after.items.get('1a');
  const before = state.items.get('1a');
  if (!after || !before) throw new Error('no 1a');
  return {
    changes: [{ before, after }],
    events: [],
    owed: [{ kind: 'report' as const, stepId: '1a' }],
    relies: [],
  };
}
