import { describe, expect, it } from 'vitest';
import { assertDocumentDate, openedOn } from '../../../shared/domain/document-date.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';

const document = (date: string) => ({ number: '宁环审〔2026〕201号', date });
const bounds = { today: '2026-11-30', openedOn: '2026-11-20' };

describe("an approval document's date", () => {
  it.each(['2026-11-20', '2026-11-25', '2026-11-30'])(
    'accepts %s, between the application and the decision',
    (date) => {
      expect(() => assertDocumentDate(document(date), bounds, 'step 7')).not.toThrow();
    },
  );

  it('refuses a date after the day of the decision, naming the field', () => {
    const act = () => assertDocumentDate(document('2026-12-01'), bounds, 'step 7');
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(
      /^document\.date: step 7: the approval document 宁环审〔2026〕201号 is dated 2026-12-01, after the day of the decision \(2026-11-30\)/,
    );
  });

  it('refuses a date before the step was applied for, naming the field', () => {
    const act = () => assertDocumentDate(document('2026-11-19'), bounds, 'part ENV of step 7');
    expect(act).toThrow(
      /^document\.date: part ENV of step 7: .* dated 2026-11-19, before the step was applied for \(2026-11-20\)/,
    );
  });

  it('knows no lower bound for a step without a submission', () => {
    expect(() =>
      assertDocumentDate(document('2020-01-01'), { today: '2026-11-30', openedOn: undefined }, 'step 7'),
    ).not.toThrow();
  });
});

describe('the day a step opened', () => {
  it('is the day in China its materials were handed in', () => {
    // 17:00 UTC on the 20th is 01:00 on the 21st in Beijing
    expect(openedOn({ submittedAt: '2026-11-20T17:00:00.000Z' })).toBe('2026-11-21');
  });

  it('is the earlier of the submission and the acceptance (受理 on the next working day)', () => {
    const clock = { acceptedOn: '2026-11-23' } as Parameters<typeof openedOn>[0]['clock'];
    expect(openedOn({ submittedAt: '2026-11-21T02:00:00.000Z', clock })).toBe('2026-11-21');
    expect(openedOn({ clock })).toBe('2026-11-23');
    expect(openedOn({})).toBeUndefined();
  });
});
