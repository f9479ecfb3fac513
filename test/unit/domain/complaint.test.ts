import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import {
  acknowledgeComplaint,
  type Complaint,
  closeComplaint,
  complaintAsSeenBy,
  fileComplaint,
  investigateComplaint,
} from '../../../shared/domain/complaint.js';
import {
  complaintCheckAt,
  complaintSlaStep,
  recountComplaint,
} from '../../../shared/domain/complaint-sla.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import type { Principal } from '../../../shared/domain/principal.js';
import { DEFAULT_SLA_POLICY } from '../../../shared/domain/sla-policy.js';
import { beijing } from '../../support/beijing-time.js';

const calendar = chineseDaysCalendar();

const investor: Principal = { userId: 'investor-sun', role: 'investor', name: '孙总', enterpriseId: 'E' };
const office: Principal = { userId: 'efficiency-wu', role: 'efficiency', name: '吴主任' };
const officer: Principal = { userId: 'officer-zhao', role: 'officer', name: '赵科长', departmentId: 'NRP' };

const filedAt = (text: string): Complaint =>
  fileComplaint({
    complaintId: 'C1',
    number: '效能投诉〔2026〕第0001号',
    about: {
      projectId: 'P1',
      projectCode: '2026-320115-04-01-000011',
      projectName: '智能装备产业园一期',
      enterpriseId: 'E',
      stepId: '2',
      stepName: '建设项目用地预审与选址意见书',
      departmentId: 'NRP',
    },
    input: { category: 'delay', description: '受理后十个工作日未答复' },
    complainant: investor,
    now: beijing(text),
    calendar,
    policy: DEFAULT_SLA_POLICY.complaints,
  });

describe('an efficiency complaint (行政效能投诉)', () => {
  it('is due five working days on, counted from the next working day when filed on a day off', () => {
    // Act
    const onThursday = filedAt('2026-11-26 09:00');
    const onSaturday = filedAt('2026-11-28 09:00');
    const beforeNationalDay = filedAt('2026-09-30 09:00');

    // Assess
    expect(onThursday.dueDate).toBe('2026-12-03');
    expect(onSaturday.dueDate).toBe('2026-12-07');
    // 国庆 2026: 1–7 October off, 10 October (Saturday) a make-up working day
    expect(beforeNationalDay.dueDate).toBe('2026-10-13');
  });

  it('moves on only in order, and is on time when closed on its due date', () => {
    // Prepare
    const filed = filedAt('2026-11-26 09:00');

    // Act
    const skipping = () => investigateComplaint(filed, office, beijing('2026-11-26 10:00'));
    const acknowledged = acknowledgeComplaint(filed, office, beijing('2026-11-26 10:00'));
    const investigating = investigateComplaint(acknowledged, office, beijing('2026-11-27 10:00'));
    const closed = closeComplaint(
      investigating,
      office,
      beijing('2026-12-03 17:00'),
      { finding: 'upheld', actionTaken: '约谈' },
      calendar,
    );

    // Assess
    expect(skipping).toThrow(ConflictError);
    expect(closed).toMatchObject({ status: 'closed', closedOnTime: true, version: 4 });
    expect(closed.record.map((r) => r.status)).toEqual(['filed', 'acknowledged', 'investigating', 'closed']);
  });

  it('hides the complainant from the department complained about, and from nobody else', () => {
    // Prepare
    const filed = filedAt('2026-11-26 09:00');

    // Act
    const asDepartment = complaintAsSeenBy(officer, filed);
    const asOffice = complaintAsSeenBy(office, filed);

    // Assess
    expect(asDepartment.complainant).toBeUndefined();
    expect(JSON.stringify(asDepartment)).not.toContain('investor-sun');
    expect(asOffice.complainant?.userId).toBe('investor-sun');
  });
});

describe('the time limit of a complaint', () => {
  it('turns yellow on its last working day, red the day after, then climbs the ladder', () => {
    // Prepare
    const filed = filedAt('2026-11-26 09:00');

    // Act
    const first = complaintCheckAt(calendar, filed, DEFAULT_SLA_POLICY);
    const red = complaintSlaStep(calendar, filed, DEFAULT_SLA_POLICY, beijing('2026-12-04 08:00'));
    const leader =
      red && complaintSlaStep(calendar, red.complaint, DEFAULT_SLA_POLICY, beijing('2026-12-08 08:00'));
    const quiet =
      leader && complaintSlaStep(calendar, leader.complaint, DEFAULT_SLA_POLICY, beijing('2026-12-08 08:00'));

    // Assess
    expect(first).toBe(new Date('2026-12-02T00:00:00+08:00').toISOString());
    expect(red?.actions.map((a) => a.kind)).toEqual(['yellow', 'red', 'escalate']);
    expect(leader?.actions).toEqual([{ kind: 'escalate', level: 2, rung: 'leader', afterOverdueDays: 2 }]);
    expect(leader?.complaint.slaCheckAt).toBeUndefined();
    expect(quiet).toBeUndefined();
  });

  it('asks for nothing once closed', () => {
    // Prepare
    const filed = filedAt('2026-11-26 09:00');
    const closed: Complaint = { ...filed, status: 'closed' };

    // Act
    const step = complaintSlaStep(calendar, closed, DEFAULT_SLA_POLICY, beijing('2026-12-31 09:00'));

    // Assess
    expect(step).toBeUndefined();
    expect(complaintCheckAt(calendar, closed, DEFAULT_SLA_POLICY)).toBeUndefined();
  });
});

describe('a complaint due in a year without a schedule', () => {
  // filed Thursday 31 December 2026: five working days on, 1 January 2027 counted for want of a schedule
  const guessed = filedAt('2026-12-31 09:00');
  const with2027 = chineseDaysCalendar({
    years: { '2027': { holidays: ['2027-01-01'], workdays: [] } },
    closures: {},
  });

  it('is never marked red or escalated on the guessed due date', () => {
    // Act
    const step = complaintSlaStep(calendar, guessed, DEFAULT_SLA_POLICY, beijing('2027-01-12 09:00'));

    // Assess
    expect(guessed).toMatchObject({ dueDate: '2027-01-07', dueFlagged: true });
    expect(step?.actions.map((a) => a.kind) ?? []).not.toContain('red');
    expect(step?.actions.map((a) => a.kind) ?? []).not.toContain('escalate');
  });

  it('is counted again once the year is added, and re-armed', () => {
    // Act
    const recounted = recountComplaint(with2027, guessed, DEFAULT_SLA_POLICY, beijing('2027-01-05 09:00'));

    // Assess
    expect(recounted).toMatchObject({ dueDate: '2027-01-08', version: guessed.version + 1 });
    expect(recounted?.dueFlagged).toBeUndefined();
    expect(recounted?.slaCheckAt).toBeDefined();
  });
});
