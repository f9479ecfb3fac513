import { describe, expect, it } from 'vitest';
import { chineseDaysCalendar } from '../../../shared/calendar/chinese-days-calendar.js';
import { climbed, ladderCheckpoints } from '../../../shared/domain/escalation-ladder.js';

const calendar = chineseDaysCalendar();

describe('the escalation ladder (升级督办)', () => {
  it('puts a rung at 0 days with red and each later rung at the start of its working day overdue', () => {
    // Prepare: due Friday 4 December 2026, red from the Saturday
    const redAt = '2026-12-04T16:00:00.000Z';
    const ladder = [
      { rung: 'office', afterOverdueDays: 0 },
      { rung: 'leader', afterOverdueDays: 2 },
    ];

    // Act
    const checkpoints = ladderCheckpoints(calendar, '2026-12-04', redAt, ladder);

    // Assess: two working days after Friday is Tuesday 8 December, 00:00 in Beijing
    expect(checkpoints).toEqual([
      { kind: 'escalate', level: 1, rung: 'office', afterOverdueDays: 0, at: redAt },
      { kind: 'escalate', level: 2, rung: 'leader', afterOverdueDays: 2, at: '2026-12-07T16:00:00.000Z' },
    ]);
  });

  it('reports the rung a checkpoint climbs without its instant', () => {
    expect(climbed({ kind: 'escalate', level: 2, rung: 'leader', afterOverdueDays: 2 })).toEqual({
      kind: 'escalate',
      level: 2,
      rung: 'leader',
      afterOverdueDays: 2,
    });
  });
});
