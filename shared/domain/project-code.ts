import { InvalidInputError } from './errors.js';

/**
 * National investment project code (项目代码), 24 characters: `YYYY-RRRRRR-II-TT-NNNNNC`:
 * year, 6-digit administrative region code, 2-digit industry code, 2-digit type code (01 备案, 02 核准,
 * 03 审批), 5-digit serial and a check character (ISO 7064 MOD 11-2 over all 19 digits, 'X' for 10).
 */
export const PROJECT_TYPE_CODES = { '01': '备案', '02': '核准', '03': '审批' } as const;
export type ProjectTypeCode = keyof typeof PROJECT_TYPE_CODES;

export interface ProjectCodeParts {
  year: number;
  /** 6 digits, e.g. '320115' */
  regionCode: string;
  /** 2 digits */
  industryCode: string;
  /** '01' 备案, '02' 核准 or '03' 审批 (checked at run time; a string so configuration can pass it through) */
  typeCode: string;
  /** 0..99999, zero-padded to 5 digits */
  serial: number;
}

const SHAPE = /^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5})([0-9X])$/;

/** ISO 7064 MOD 11-2 check character for a string of digits ('X' stands for 10). */
export function iso7064Mod11x2(digits: string): string {
  let p = 0;
  for (const character of digits) p = ((p + Number(character)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}

function isProjectTypeCode(code: string): code is ProjectTypeCode {
  return Object.hasOwn(PROJECT_TYPE_CODES, code);
}

/** The 24-character project code for these parts, check character included. */
export function formatProjectCode(parts: ProjectCodeParts): string {
  const { year, regionCode, industryCode, typeCode, serial } = parts;
  const problems: string[] = [];
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    problems.push(`year ${year} is not a 4-digit year`);
  if (!/^\d{6}$/.test(regionCode)) problems.push(`region code '${regionCode}' is not 6 digits`);
  if (!/^\d{2}$/.test(industryCode)) problems.push(`industry code '${industryCode}' is not 2 digits`);
  if (!isProjectTypeCode(typeCode))
    problems.push(`type code '${typeCode}' is not 01 (备案), 02 (核准) or 03 (审批)`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 99999)
    problems.push(`serial ${serial} is not 0..99999`);
  if (problems.length > 0) {
    throw new InvalidInputError(
      'PROJECT_CODE.INVALID',
      `cannot make a project code: ${problems.join('; ')}`,
      {
        problems,
      },
    );
  }
  const serialText = String(serial).padStart(5, '0');
  const body = `${year}-${regionCode}-${industryCode}-${typeCode}-${serialText}`;
  return body + iso7064Mod11x2(body.replaceAll('-', ''));
}

/** Why this is not a valid project code, or undefined when it is. */
export function projectCodeProblem(code: string): string | undefined {
  if (code.length !== 24)
    return `a project code has 24 characters (YYYY-RRRRRR-II-TT-NNNNNC), this one has ${code.length}`;
  const match = SHAPE.exec(code);
  if (match === null) {
    return 'a project code is shaped YYYY-RRRRRR-II-TT-NNNNNC: digits in groups of 4, 6, 2, 2 and 5 separated by -, then a digit or X';
  }
  const typeCode = match[4] ?? '';
  if (!isProjectTypeCode(typeCode)) return `type code '${typeCode}' is not 01 (备案), 02 (核准) or 03 (审批)`;
  const expected = iso7064Mod11x2(code.slice(0, 23).replaceAll('-', ''));
  const actual = code.charAt(23);
  if (actual !== expected) return `wrong check character '${actual}': expected ${expected}`;
  return undefined;
}

/** Codes of the 2016 rules, before GB/T 40058-2021: a 6-digit serial and no check character. */
const LEGACY_SHAPE = /^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$/;
/** The last year codes of the 2016 rules were issued (GB/T 40058-2021 took effect on 2021-08-01). */
const LAST_LEGACY_YEAR = 2021;

/**
 * Why this is not a project code the national investment project platform (全国投资项目在线审批监管平台) issues, or
 * undefined when it is: GB/T 40058-2021 `YYYY-RRRRRR-DD-TT-NNNNNC` (year, region, department, type, serial and
 * check character, 24 characters); a code issued under the earlier rules (up to 2021) ends in a 6-digit serial
 * with no check character, and stays the project's code for its whole life.
 *
 * @example nationalCodeProblem('2019-320115-47-03-512345') // undefined: a code of the earlier rules
 */
export function nationalCodeProblem(code: string): string | undefined {
  const legacy = LEGACY_SHAPE.exec(code);
  if (legacy && Number(legacy[1]) <= LAST_LEGACY_YEAR) {
    const typeCode = legacy[4] ?? '';
    return isProjectTypeCode(typeCode)
      ? undefined
      : `type code '${typeCode}' is not 01 (备案), 02 (核准) or 03 (审批)`;
  }
  const problem = projectCodeProblem(code);
  if (problem && legacy) {
    return `${problem} (codes issued since ${LAST_LEGACY_YEAR + 1} end in a check character, GB/T 40058-2021)`;
  }
  return problem;
}
