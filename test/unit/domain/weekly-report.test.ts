import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import type { Project, ProjectStep } from '../../../shared/domain/project.js';
import { referenceDepartments } from '../../../shared/domain/reference/departments.js';
import { referenceChain } from '../../../shared/domain/reference/industrial-chain.js';
import { startClock } from '../../../shared/domain/step-clock.js';
import { isoWeekNamed, isoWeekOf, previousWeek, weeklyReport } from '../../../shared/domain/weekly-report.js';

const calendar = chineseDaysCalendar();

describe('ISO weeks', () => {
  it.each([
    ['2026-11-23', '2026-W48', '2026-11-23', '2026-11-29'],
    ['2026-01-01', '2026-W01', '2025-12-29', '2026-01-04'],
    ['2027-01-03', '2026-W53', '2026-12-28', '2027-01-03'],
    ['2021-01-03', '2020-W53', '2020-12-28', '2021-01-03'],
  ])('puts %s in week %s (%s to %s)', (date, id, from, to) => {
    // Act
    const week = isoWeekOf(date);

    // Assess
    expect(week).toEqual({ id, from, to });
  });

  it('names weeks both ways, and knows a year without a 53rd week', () => {
    // Act
    const named = isoWeekNamed('2026-W47');
    const missing = isoWeekNamed('2025-W53');

    // Assess
    expect(named).toEqual({ id: '2026-W47', from: '2026-11-16', to: '2026-11-22' });
    expect(missing).toBeUndefined();
  });

  it("takes last week's report on a Monday morning in Beijing (Sunday evening UTC)", () => {
    // Act
    const week = previousWeek(new Date('2026-11-22T17:00:00Z'));

    // Assess
    expect(week.id).toBe('2026-W47');
  });
});

describe('the weekly report (周报)', () => {
  const week = { id: '2026-W47', from: '2026-11-16', to: '2026-11-22' };
  const project = {
    projectId: 'p1',
    code: '2026-320115-39-01-000011',
    name: '智能装备产业园一期',
    createdAt: '2026-11-02T02:00:00.000Z',
    updatedAt: '2026-11-20T02:00:00.000Z',
  } as Project;
  /** A step of stage 1 accepted on one day and decided on another, China time. */
  const step = (
    stepId: string,
    departmentId: string,
    accepted: string,
    decided: string,
    extra: Partial<ProjectStep> = {},
  ) =>
    ({
      projectId: 'p1',
      stepId,
      stageIndex: 0,
      departmentId,
      kind: 'approval',
      status: 'approved',
      version: 3,
      round: 1,
      supplementRounds: 0,
      clock: startClock(calendar, new Date(`${accepted}T02:00:00Z`), {
        promisedDays: stepId === '7' ? 15 : 5,
        legalDays: 20,
      }),
      submittedAt: `${accepted}T02:00:00.000Z`,
      decidedAt: `${decided}T02:00:00.000Z`,
      updatedAt: `${decided}T02:00:00.000Z`,
      ...extra,
    }) as ProjectStep;

  it('counts the decisions of the week on time and late, ranks the late department first, and sorts the five kinds', () => {
    // Prepare: NRP decides step 2 in 3 working days; ENV's step 7 is deemed approved; DRC's step 1 was decided the week before
    const items = [
      step('1', 'DRC', '2026-11-03', '2026-11-04'),
      step('2', 'NRP', '2026-11-16', '2026-11-19', { supplementRounds: 1 }),
      step('7', 'ENV', '2026-10-26', '2026-11-17', { status: 'deemed_approved', lateByDays: 1 }),
    ];

    // Act
    const report = weeklyReport({
      week,
      projects: [{ project, chain: referenceChain, items }],
      departments: referenceDepartments,
      calendar,
      generatedAt: '2026-11-23T00:00:00.000Z',
    });

    // Assess
    expect(report.steps).toEqual({ decided: 2, onTime: 1, late: 1, onTimeRate: 50 });
    expect(report.projects).toEqual({ started: 0, advanced: 1, completed: 0 });
    expect(report.departments.map((d) => [d.rank, d.departmentId, d.late])).toEqual([
      [1, 'ENV', 1],
      [2, 'NRP', 0],
    ]);
    expect(report.deemedApprovalsByDepartment).toEqual([
      { departmentId: 'ENV', name: expect.any(String), count: 1 },
    ]);
    expect(report.stages).toEqual([
      expect.objectContaining({ stageIndex: 0, decided: 2, averagePromisedDays: 10, averageLegalDays: 20 }),
    ]);
    expect(report.slowest[0]).toMatchObject({ stepId: '7', departmentId: 'ENV' });
    expect(report.caseKinds).toEqual({ instant: 0, promised: 2, joint: 0, returned: 0, supplement: 1 });
  });
});
