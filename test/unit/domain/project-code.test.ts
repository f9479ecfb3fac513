import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import {
  formatProjectCode,
  iso7064Mod11x2,
  projectCodeProblem,
} from '../../../shared/domain/project-code.js';

describe('project code', () => {
  it('computes ISO 7064 MOD 11-2 like the check digit of the national ID number', () => {
    // Assess: the GB 11643 example numbers
    expect(iso7064Mod11x2('11010519491231002')).toBe('X');
    expect(iso7064Mod11x2('44052418800101001')).toBe('4');
  });

  it('formats 24 characters with padded serial and check character', () => {
    // Act
    const code = formatProjectCode({
      year: 2026,
      regionCode: '320115',
      industryCode: '36',
      typeCode: '01',
      serial: 42,
    });

    // Assess
    expect(code).toHaveLength(24);
    expect(code).toMatch(/^2026-320115-36-01-00042[0-9X]$/);
    expect(code.at(-1)).toBe(iso7064Mod11x2('2026320115360100042'));
    expect(projectCodeProblem(code)).toBeUndefined();
  });

  it('writes X when the check value is 10', () => {
    // Prepare: find a serial whose check value is 10
    const codes = Array.from({ length: 30 }, (_, serial) =>
      formatProjectCode({ year: 2026, regionCode: '320115', industryCode: '36', typeCode: '02', serial }),
    );

    // Assess
    const withX = codes.filter((c) => c.endsWith('X'));
    expect(withX.length).toBeGreaterThan(0);
    for (const code of withX) expect(projectCodeProblem(code)).toBeUndefined();
  });

  it('names the expected check character of a mistyped code', () => {
    // Prepare
    const code = formatProjectCode({
      year: 2026,
      regionCode: '320115',
      industryCode: '36',
      typeCode: '03',
      serial: 7,
    });
    const mistyped = `${code.slice(0, 18)}00008${code.slice(23)}`;

    // Act
    const problem = projectCodeProblem(mistyped);

    // Assess
    expect(problem).toMatch(/^wrong check character '.': expected [0-9X]$/);
  });

  it('explains codes of the wrong length, shape or type', () => {
    // Assess
    expect(projectCodeProblem('2026-320115-36-01-0004')).toMatch(/has 24 characters .* this one has 22/);
    expect(projectCodeProblem('2026-320115-36-01-0004AB')).toMatch(/shaped YYYY-RRRRRR-II-TT-NNNNNC/);
    expect(projectCodeProblem('2026-320115-36-04-000421')).toBe(
      "type code '04' is not 01 (备案), 02 (核准) or 03 (审批)",
    );
  });

  it('refuses to format from bad parts, naming each', () => {
    // Act
    const act = () =>
      formatProjectCode({ year: 26, regionCode: '3201', industryCode: '36', typeCode: '09', serial: 100000 });

    // Assess
    expect(act).toThrow(InvalidInputError);
    expect(act).toThrow(/year 26 .*region code '3201' .*type code '09' .*serial 100000/);
  });
});
