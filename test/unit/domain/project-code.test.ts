import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import {
  codeYearProblem,
  FIRST_CODE_YEAR,
  formatProjectCode,
  iso7064Mod11x2,
  nationalCodeProblem,
  projectCodeProblem,
  REGION_CODES,
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

describe('what a project code can hold', () => {
  const code = (year: number, regionCode: string, industryCode = '47', typeCode = '03') => {
    const body = `${year}-${regionCode}-${industryCode}-${typeCode}-00042`;
    return body + iso7064Mod11x2(body.replaceAll('-', ''));
  };

  it.each([
    ['a county-level region', code(2026, '320115')],
    ['a prefecture', code(2026, '320100')],
    ['a province', code(2026, '320000')],
    ['a district merged away since it was issued (闸北区, 2015)', code(2015, '310108')],
    ['the first year codes were issued', code(FIRST_CODE_YEAR, '110105')],
  ])('accepts %s', (_, valid) => {
    expect(projectCodeProblem(valid)).toBeUndefined();
  });

  it.each([
    [
      'a year before the platform issued codes',
      code(1900, '320115'),
      /year 1900 is before the first project codes were issued \(2014\)/,
    ],
    [
      'region 000000',
      code(2026, '000000'),
      /region code '000000' is not an administrative division code .*no province's code begins 00/,
    ],
    [
      'a county its province does not have',
      code(2026, '320199'),
      /region code '320199' is not an administrative division code .* of province 320000/,
    ],
    ['Hong Kong, where the platform issues no codes', code(2026, '810000'), /region code '810000'/],
    [
      'industry 00',
      code(2026, '320115', '00'),
      /industry code '00' is not an industry division of GB\/T 4754/,
    ],
    ['industry 98', code(2026, '320115', '98'), /industry code '98'/],
  ])('refuses %s, saying why', (_, invalid, why) => {
    expect(projectCodeProblem(invalid)).toMatch(why);
    expect(nationalCodeProblem(invalid)).toMatch(why);
  });

  it('names every impossible segment at once', () => {
    expect(projectCodeProblem(code(1900, '000000', '99'))).toMatch(
      /year 1900 .*; region code '000000' .*; industry code '99'/,
    );
  });

  it('applies the same rules to codes of the earlier rules (no check character)', () => {
    expect(nationalCodeProblem('2019-320115-47-03-512345')).toBeUndefined();
    expect(nationalCodeProblem('2013-320115-47-03-512345')).toMatch(/year 2013 is before/);
    expect(nationalCodeProblem('2019-000000-47-03-512345')).toMatch(/region code '000000'/);
  });

  it("refuses a code's year later than this year, and not this year's", () => {
    expect(codeYearProblem(code(2099, '320115'), 2026)).toBe(
      'year 2099 is after this year (2026): a project code bears the year it was issued',
    );
    expect(codeYearProblem(code(2026, '320115'), 2026)).toBeUndefined();
    expect(codeYearProblem('2027-320115-47-03-512345', 2026)).toMatch(/year 2027 is after/);
  });

  it('has the region codes of every province and of the county-level divisions', () => {
    expect(REGION_CODES.size).toBeGreaterThan(3000);
    for (const province of ['110000', '320000', '440000', '540000', '650000'])
      expect(REGION_CODES.has(province)).toBe(true);
    expect([...REGION_CODES].every((c) => /^\d{6}$/.test(c) && !c.startsWith('00'))).toBe(true);
  });

  it('refuses to format a code for a region that does not exist', () => {
    const act = () =>
      formatProjectCode({ year: 2026, regionCode: '000000', industryCode: '00', typeCode: '01', serial: 1 });
    expect(act).toThrow(/region code '000000' .*industry code '00'/);
  });
});
