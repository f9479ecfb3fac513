import { describe, expect, it } from 'vitest';
import { overdueText } from '../../../shared/app/sla-sweep.js';

describe('the escalation message', () => {
  it('never says "0 个工作日以上": overdue without a count on the day after a weekend due date', () => {
    expect(overdueText(0)).toBe('已超期');
  });

  it('gives the real count of working days overdue', () => {
    expect(overdueText(3)).toBe('已超期 3 个工作日');
  });
});
