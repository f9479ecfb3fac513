import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import {
  clockDue,
  pauseClock,
  readClock,
  resumeClock,
  type StepClock,
  startClock,
  supplementTooLate,
} from '../../../shared/domain/step-clock.js';
import { chinaTime } from '../../support/project-state.js';

/** The real State Council schedule (chinese-days: 2004–2026). */
const calendar = chineseDaysCalendar();

const limits = (promisedDays: number, legalDays = 20) => ({ promisedDays, legalDays });

/** A clock accepted at this China wall-clock time. */
const acceptedAt = (wallClock: string, promisedDays: number, legalDays = 20): StepClock =>
  startClock(calendar, chinaTime(wallClock), limits(promisedDays, legalDays));

/** The clock after a supplement pause from one China wall-clock time to another. */
const pausedBetween = (clock: StepClock, from: string, to: string): StepClock =>
  resumeClock(
    pauseClock(clock, chinaTime(from), { pauseId: 'supplement-1', kind: 'supplement' }),
    chinaTime(to),
  );

function dueOf(clock: StepClock) {
  const due = clockDue(calendar, clock);
  if (!due) throw new Error('the clock stands still');
  return due;
}

describe('starting the clock (受理)', () => {
  it('counts a submission on Saturday from Monday, like one made on that Monday', () => {
    // Act: Saturday 7 March 2026, and Monday 9 March
    const saturday = acceptedAt('2026-03-07 10:00', 1);
    const monday = acceptedAt('2026-03-09 10:00', 1);

    // Assess
    expect(saturday.acceptedOn).toBe('2026-03-09');
    expect(dueOf(saturday).dueDate).toBe('2026-03-10');
    expect(dueOf(saturday).dueDate).toBe(dueOf(monday).dueDate);
  });

  it('takes the day from China time, so 00:30 on Saturday in Beijing is a Saturday submission', () => {
    // Act: 2026-03-06T16:30Z is Friday in UTC but Saturday 00:30 in Beijing
    const clock = startClock(calendar, new Date('2026-03-06T16:30:00.000Z'), limits(1));

    // Assess
    expect(clock.acceptedOn).toBe('2026-03-09');
  });

  it('counts a make-up Saturday (调休) as a working day of acceptance', () => {
    // Act: Saturday 28 February 2026 is a make-up working day after the Spring Festival
    const clock = acceptedAt('2026-02-28 10:00', 1);

    // Assess
    expect(clock.acceptedOn).toBe('2026-02-28');
    expect(dueOf(clock).dueDate).toBe('2026-03-02');
  });
});

describe('due dates', () => {
  it('ends N working days at the close of the Nth working day after acceptance', () => {
    // Prepare: accepted Monday 2 March 2026, promised 5, legal 20
    const clock = acceptedAt('2026-03-02 10:00', 5, 20);

    // Act
    const due = dueOf(clock);

    // Assess: the acceptance day is not counted; 23:59:59.999 in Beijing is 15:59:59.999Z
    expect(due).toEqual({
      dueDate: '2026-03-09',
      dueAt: '2026-03-09T15:59:59.999Z',
      legalDueDate: '2026-03-30',
      legalDueAt: '2026-03-30T15:59:59.999Z',
      dueFlagged: false,
      legalDueFlagged: false,
      flagged: false,
    });
  });

  it('reads no day left on the due date itself and overdue the working day after', () => {
    // Prepare
    const clock = acceptedAt('2026-03-02 10:00', 5);

    // Act
    const onTheDay = readClock(calendar, clock, chinaTime('2026-03-09 23:59'));
    const dayAfter = readClock(calendar, clock, chinaTime('2026-03-10 09:00'));

    // Assess
    expect(onTheDay).toMatchObject({ elapsed: 5, promisedLeft: 0, paused: false });
    expect(dayAfter).toMatchObject({ elapsed: 6, promisedLeft: -1, legalLeft: 14 });
  });

  it('skips the National Day holiday (1–7 October 2026) and counts its make-up Saturday', () => {
    // Prepare: accepted Tuesday 29 September 2026
    const clock = acceptedAt('2026-09-29 10:00', 5);

    // Act
    const due = dueOf(clock);

    // Assess: 30 Sep (1), 8 Oct (2), 9 Oct (3), Saturday 10 Oct make-up (4), Monday 12 Oct (5)
    expect(due.dueDate).toBe('2026-10-12');
  });

  it('skips the Spring Festival (15–23 February 2026) and counts its make-up Saturday', () => {
    // Prepare: accepted Friday 13 February 2026
    const clock = acceptedAt('2026-02-13 10:00', 3);

    // Act
    const due = dueOf(clock);

    // Assess: Saturday 14 Feb make-up (1), Tuesday 24 Feb (2), Wednesday 25 Feb (3)
    expect(due.dueDate).toBe('2026-02-25');
  });

  it('flags a due date in 2027, a year whose schedule the calendar does not have', () => {
    // Act
    const clock = acceptedAt('2027-03-01 10:00', 5);

    // Assess: weekends only are assumed, and said so
    expect(dueOf(clock)).toMatchObject({ dueDate: '2027-03-08', flagged: true });
  });

  it('flags a due date that runs from 2026 into 2027', () => {
    // Act: accepted Monday 28 December 2026; 1 January 2027 counts as a working day for want of a schedule
    const clock = acceptedAt('2026-12-28 10:00', 5, 5);

    // Assess
    expect(dueOf(clock)).toMatchObject({ dueDate: '2027-01-04', flagged: true });
  });

  it('does not flag a due date inside 2026', () => {
    expect(dueOf(acceptedAt('2026-03-02 10:00', 5)).flagged).toBe(false);
  });

  it('flags each limit on its own: a promised due date inside 2026 stays unflagged when the legal one reaches 2027', () => {
    // Act: accepted Thursday 10 December 2026, promised 5 (17 December), legal 20 (into January 2027)
    const due = dueOf(acceptedAt('2026-12-10 10:00', 5, 20));

    // Assess
    expect(due).toMatchObject({ dueDate: '2026-12-17', dueFlagged: false, legalDueFlagged: true });
  });
});

describe('a decided step', () => {
  it('reads as at its decision however long after it is looked at (step 1 approved 7 December shows no −3 on the 11th)', () => {
    // Prepare: filing (promised 1) accepted Monday 7 December 2026, approved the same day
    const clock = acceptedAt('2026-12-07 09:00', 1, 3);
    const decidedAt = chinaTime('2026-12-07 15:00').toISOString();

    // Act
    const onFriday = readClock(calendar, clock, chinaTime('2026-12-11 10:00'), decidedAt);
    const atDecision = readClock(calendar, clock, chinaTime('2026-12-07 15:00'));

    // Assess
    expect(onFriday).toEqual(atDecision);
    expect(onFriday).toMatchObject({ elapsed: 0, promisedLeft: 1, overdue: false });
  });
});

describe('pauses (补正 and the periods the law excludes)', () => {
  it('moves the due date by exactly the three working days the clock stood still', () => {
    // Prepare: accepted Monday 2 March 2026, promised 10 (due 16 March), legal 20 (due 30 March)
    const clock = acceptedAt('2026-03-02 10:00', 10, 20);
    const before = dueOf(clock);

    // Act: stopped Wednesday 4 March, resumed Monday 9 March (5, 6 and 9 March stood still)
    const after = dueOf(pausedBetween(clock, '2026-03-04 10:00', '2026-03-09 10:00'));

    // Assess
    expect(before).toMatchObject({ dueDate: '2026-03-16', legalDueDate: '2026-03-30' });
    expect(after).toMatchObject({ dueDate: '2026-03-19', legalDueDate: '2026-04-02' });
    expect(calendar.workingDaysBetween(before.dueDate, after.dueDate).days).toBe(3);
    expect(calendar.workingDaysBetween(before.legalDueDate, after.legalDueDate).days).toBe(3);
  });

  it('counts only the working days of a pause across the National Day holiday', () => {
    // Prepare: accepted Monday 21 September 2026, promised 10: due Monday 12 October
    const clock = acceptedAt('2026-09-21 10:00', 10);

    // Act: stopped Wednesday 30 September, resumed Friday 9 October: 8 and 9 October stood still (2 days)
    const paused = pausedBetween(clock, '2026-09-30 10:00', '2026-10-09 10:00');

    // Assess
    expect(dueOf(clock).dueDate).toBe('2026-10-12');
    expect(readClock(calendar, paused, chinaTime('2026-10-09 12:00')).pausedDays).toBe(2);
    expect(dueOf(paused).dueDate).toBe('2026-10-14');
  });

  it('has no due date while the clock stands still, and reads the days before the pause as elapsed', () => {
    // Prepare: accepted Monday 2 March, stopped Wednesday 4 March
    const clock = pauseClock(acceptedAt('2026-03-02 10:00', 10), chinaTime('2026-03-04 10:00'), {
      pauseId: 'hearing-1',
      kind: 'hearing',
    });

    // Act
    const reading = readClock(calendar, clock, chinaTime('2026-03-06 10:00'));

    // Assess: 3 and 4 March counted, 5 and 6 March stood still
    expect(clockDue(calendar, clock)).toBeUndefined();
    expect(reading).toEqual({
      paused: true,
      elapsed: 2,
      promisedLeft: 8,
      legalLeft: 18,
      pausedDays: 2,
      overdue: false,
      flagged: false,
    });
  });

  it('moves nothing for a pause declared over the weekend before counting began', () => {
    // Prepare: submitted Saturday 7 March (counting from Monday 9 March)
    const clock = acceptedAt('2026-03-07 10:00', 5);

    // Act: stopped on the Saturday, resumed on the Monday
    const paused = pausedBetween(clock, '2026-03-07 11:00', '2026-03-09 09:00');

    // Assess
    expect(dueOf(paused).dueDate).toBe(dueOf(clock).dueDate);
  });

  it('refuses a second pause while the clock already stands still', () => {
    // Prepare
    const clock = pauseClock(acceptedAt('2026-03-02 10:00', 10), chinaTime('2026-03-03 10:00'), {
      pauseId: 'supplement-1',
      kind: 'supplement',
    });

    // Act
    const pauseAgain = () =>
      pauseClock(clock, chinaTime('2026-03-04 10:00'), { pauseId: 'testing-1', kind: 'testing' });

    // Assess
    expect(pauseAgain).toThrow(ConflictError);
    expect(pauseAgain).toThrow(/already stands still \(supplement since 2026-03-03\)/);
  });

  it('leaves a running clock as it is when asked to resume, and records who ended a pause', () => {
    // Prepare
    const running = acceptedAt('2026-03-02 10:00', 10);
    const stopped = pauseClock(running, chinaTime('2026-03-03 10:00'), {
      pauseId: 'site-survey-1',
      kind: 'site_survey',
    });

    // Act
    const resumed = resumeClock(stopped, chinaTime('2026-03-05 10:00'), 'officer-zhao');

    // Assess
    expect(resumeClock(running, chinaTime('2026-03-05 10:00'))).toBe(running);
    expect(resumed.pauses).toEqual([
      {
        pauseId: 'site-survey-1',
        kind: 'site_survey',
        from: '2026-03-03T02:00:00.000Z',
        fromDate: '2026-03-03',
        to: '2026-03-05T02:00:00.000Z',
        toDate: '2026-03-05',
        endedBy: 'officer-zhao',
      },
    ]);
  });
});

describe('补不过半 (a supplement only in the first half of the promised limit)', () => {
  const reading = (elapsed: number, promisedDays: number) => ({
    paused: false,
    elapsed,
    promisedLeft: promisedDays - elapsed,
    legalLeft: 20 - elapsed,
    pausedDays: 0,
    overdue: elapsed > promisedDays,
    flagged: false,
  });

  it.each([
    { promisedDays: 10, elapsed: 0 },
    { promisedDays: 10, elapsed: 5 },
    { promisedDays: 5, elapsed: 2 },
    { promisedDays: 0, elapsed: 3 },
  ])(
    'allows a supplement request after $elapsed of $promisedDays working days',
    ({ promisedDays, elapsed }) => {
      expect(supplementTooLate(reading(elapsed, promisedDays), promisedDays)).toBeUndefined();
    },
  );

  it.each([
    { promisedDays: 10, elapsed: 6, left: 4 },
    { promisedDays: 5, elapsed: 3, left: 2 },
    { promisedDays: 5, elapsed: 7, left: 0 },
  ])(
    'refuses a supplement request after $elapsed of $promisedDays working days',
    ({ promisedDays, elapsed, left }) => {
      // Act
      const refusal = supplementTooLate(reading(elapsed, promisedDays), promisedDays);

      // Assess
      expect(refusal).toContain(
        `补不过半: a supplement may be requested only in the first half of the ${promisedDays}`,
      );
      expect(refusal).toContain(`${elapsed} working day(s) have passed and ${left} are left`);
    },
  );
});
