import { describe, expect, it } from 'vitest';
import type { Department } from '../../../../shared/domain/department.js';
import type { EffectWrite } from '../../../../shared/domain/effects/effect-writes.js';
import { groupKey } from '../../../../shared/domain/effects/notifications-of.js';
import { type SweepPlan, sweepEffects, sweepPlan } from '../../../../shared/domain/effects/sweep-effects.js';
import type { TransitionEffects } from '../../../../shared/domain/effects/transition-effects.js';
import type { Meeting } from '../../../../shared/domain/meeting.js';
import { DEFAULT_SLA_POLICY } from '../../../../shared/domain/sla-policy.js';
import { chainDeemingOn1a, step1aInReviewSince } from '../../../support/deemed-approval.js';
import { calendar } from '../../../support/lifecycle.js';
import { chinaTime } from '../../../support/project-state.js';

/**
 * The SLA sweep's step on one item as two pure halves around its reads: the plan says what is due and what to read
 * (the users told, the notice's serial, the day's meeting proposal); the effects say everything the item's one
 * transaction writes and owes. No store, no Java.
 */

const departments: Department[] = [
  { id: 'NRP', name: '自然资源和规划局', nameEn: 'Natural resources', level: 'district' },
  {
    id: 'DRC',
    name: '发展和改革委员会',
    nameEn: 'Development and reform',
    level: 'district',
    webhookUrl: 'https://robot.example/drc',
  },
];

/** The users of each group, as the reference cache would give them. */
const USERS: Record<string, string[]> = {
  'dept:NRP': ['officer-zhao'],
  'dept:DRC': ['officer-qian'],
  'role:leader': ['leader-sun'],
};

// 1a (NRP; stage 1 led by DRC) in review since Monday 2 March 2026, 10:00: its promised limit ends Monday 9 March
const inReview = (deemed: boolean) => step1aInReviewSince('2026-03-02 10:00', chainDeemingOn1a(deemed));

const planAt = (deemed: boolean, wallClock: string): SweepPlan => {
  const plan = sweepPlan({
    state: inReview(deemed),
    itemKey: '1a',
    now: chinaTime(wallClock),
    calendar,
    sla: DEFAULT_SLA_POLICY,
    departments,
  });
  if (!plan) throw new Error(`nothing is due on 1a at ${wallClock}`);
  return plan;
};

function effectsOf(
  plan: SweepPlan,
  wallClock: string,
  read: { serial?: number; proposal?: { meetingId: string; existing: Meeting | undefined } } = {},
) {
  let id = 0;
  return sweepEffects({
    plan,
    now: chinaTime(wallClock),
    writtenAt: chinaTime(wallClock),
    calendar,
    newId: () => `ID${String(++id).padStart(4, '0')}`,
    outboxGraceSeconds: 30,
    departments,
    users: plan.groups.map((g) => (USERS[groupKey(g)] ?? []).map((userId) => ({ userId }))),
    ...read,
  });
}

const written = (effects: TransitionEffects | 'full') => {
  if (effects === 'full') throw new Error('the proposal read was full');
  return effects.writes as EffectWrite[];
};

const toldUsers = (writes: EffectWrite[], kind: string) =>
  writes.flatMap((w) =>
    w.op === 'put_notification' && w.notification.kind === kind ? [w.notification.userId] : [],
  );

describe('the sweep at the deemed-approval day', () => {
  const plan = planAt(true, '2026-03-10 09:00');

  it('plans to draw the notice’s number and to read the department, the lead department and the leaders', () => {
    // Assess
    expect(plan.deemedSequence).toBe('deemed-notice#2026');
    expect(plan.groups.map(groupKey).sort()).toEqual(['dept:DRC', 'dept:NRP', 'role:leader']);
    expect(plan.proposal).toBeUndefined();
  });

  it('returns the deemed-approval notice, records its number on the step and tells everyone concerned', () => {
    // Act
    const writes = written(effectsOf(plan, '2026-03-10 09:00', { serial: 3 }));

    // Assess: the notice, numbered from the serial drawn, and the step deemed approved with its number
    expect(writes).toContainEqual({
      op: 'put_document',
      document: expect.objectContaining({
        kind: 'deemed_approval_notice',
        number: '超时默认〔2026〕第0003号',
      }),
    });
    const update = writes.find((w) => w.op === 'update_item');
    expect(update?.op === 'update_item' && update.after).toMatchObject({
      status: 'deemed_approved',
      approvalDocument: { number: '超时默认〔2026〕第0003号', source: 'deemed_notice' },
    });
    // the department, the lead department, the leaders and the agent, each in their own inbox
    expect(toldUsers(writes, 'deemed_approval').sort()).toEqual([
      'agent-wang',
      'leader-sun',
      'officer-qian',
      'officer-zhao',
    ]);
  });

  it('owes the news to the bus and, for a deemed approval, an alert outside, in one outbox entry', () => {
    // Act
    const effects = effectsOf(plan, '2026-03-10 09:00', { serial: 3 });

    // Assess
    if (effects === 'full') throw new Error('no proposal at this rung');
    expect(effects.outbox?.sends.map((s) => s.type)).toContain('alert');
    expect(effects.writes).toContainEqual({ op: 'put_outbox', entry: effects.outbox });
  });

  it('charges the breach to the handling department, in the counters written apart', () => {
    // Act
    const effects = effectsOf(plan, '2026-03-10 09:00', { serial: 3 });

    // Assess
    if (effects === 'full') throw new Error('no proposal at this rung');
    expect(effects.stats).toContainEqual({ dimension: 'department', id: 'NRP', add: { breaches: 1 } });
    expect(effects.counters.every((c) => c.op === 'update_stats' && c.month === '2026-03')).toBe(true);
    expect(effects.writes.some((w) => w.op === ('update_stats' as string))).toBe(false);
  });
});

describe('the sweep at the joint-meeting rung', () => {
  const when = '2026-03-18 09:00';
  const plan = planAt(false, when);

  it('plans the lead department’s proposal of the day and reads its leaders before', () => {
    // Assess
    expect(plan.proposal?.prefix).toBe('proposal-DRC-20260318');
    expect(plan.proposal?.candidates[0]).toEqual({ n: 1, meetingId: 'proposal-DRC-20260318-1' });
    expect(plan.groups.map(groupKey)).toEqual(expect.arrayContaining(['role:leader', 'dept:DRC']));
  });

  it('puts the step on a new proposal and tells the lead department’s leader', () => {
    // Act
    const writes = written(
      effectsOf(plan, when, { proposal: { meetingId: 'proposal-DRC-20260318-1', existing: undefined } }),
    );

    // Assess: the proposal written on condition that nobody wrote it meanwhile, with 1a on its agenda
    const put = writes.find((w) => w.op === 'put_meeting');
    expect(put).toMatchObject({ op: 'put_meeting', expectedVersion: null });
    expect(put?.op === 'put_meeting' && put.meeting.agenda.map((i) => i.stepId)).toEqual(['1a']);
    expect(toldUsers(writes, 'meeting').sort()).toEqual([
      'agent-wang',
      'leader-sun',
      'officer-qian',
      'officer-zhao',
    ]);
  });

  it('asks for the next proposal when the one read can take no more', () => {
    // Prepare: the day's first proposal has been scheduled meanwhile
    const first = written(
      effectsOf(plan, when, { proposal: { meetingId: 'proposal-DRC-20260318-1', existing: undefined } }),
    ).find((w) => w.op === 'put_meeting');
    if (first?.op !== 'put_meeting') throw new Error('no proposal written');
    const scheduled: Meeting = { ...first.meeting, agenda: [], status: 'scheduled' };

    // Act
    const effects = effectsOf(plan, when, {
      proposal: { meetingId: 'proposal-DRC-20260318-1', existing: scheduled },
    });

    // Assess
    expect(effects).toBe('full');
  });

  it('still escalates, without a proposal, once every proposal of the day is full', () => {
    // Act
    const writes = written(effectsOf(plan, when));

    // Assess
    expect(writes.some((w) => w.op === 'put_meeting')).toBe(false);
    expect(toldUsers(writes, 'escalation')).toContain('leader-sun');
  });
});

describe('what the sweep leaves alone', () => {
  it('plans nothing for a project no longer in flight', () => {
    // Prepare
    const state = inReview(false);
    const withdrawn = { ...state, project: { ...state.project, status: 'withdrawn' as const } };

    // Act
    const plan = sweepPlan({
      state: withdrawn,
      itemKey: '1a',
      now: chinaTime('2026-03-18 09:00'),
      calendar,
      sla: DEFAULT_SLA_POLICY,
      departments,
    });

    // Assess
    expect(plan).toBeUndefined();
  });
});
