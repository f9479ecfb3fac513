import { InvalidInputError } from './errors.js';

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character set
 * (no I, O, S, V, Z); the last is a check character over the first 17.
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const LENGTH = 18;

function illegalCharacterProblem(code: string): string | undefined {
  for (const [position, character] of [...code].entries()) {
    if (CREDIT_CODE_CHARSET.includes(character)) continue;
    const where = `at position ${position + 1}`;
    if (/[a-z]/.test(character)) {
      return `illegal character '${character}' ${where}: a credit code is written in upper case`;
    }
    if ('IOSVZ'.includes(character)) {
      return `illegal character '${character}' ${where}: I, O, S, V and Z are never used in a credit code`;
    }
    return `illegal character '${character}' ${where}: only digits and the letters ${CREDIT_CODE_CHARSET.slice(10)} are used`;
  }
  return undefined;
}

function checkCharacter(first17: string): string {
  let sum = 0;
  for (const [i, weight] of WEIGHTS.entries()) sum += CREDIT_CODE_CHARSET.indexOf(first17.charAt(i)) * weight;
  return CREDIT_CODE_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Why this is not a valid unified social credit code, or undefined when it is. */
export function creditCodeProblem(code: string): string | undefined {
  const length = [...code].length;
  if (length !== LENGTH)
    return `a unified social credit code has ${LENGTH} characters, this one has ${length}`;
  const illegal = illegalCharacterProblem(code);
  if (illegal !== undefined) return illegal;
  const expected = checkCharacter(code.slice(0, LENGTH - 1));
  const actual = code.charAt(LENGTH - 1);
  if (actual !== expected) return `wrong check character '${actual}': expected ${expected}`;
  return undefined;
}

/** The full 18-character code for these first 17 characters (appends the check character). */
export function withCreditCodeCheck(first17: string): string {
  const length = [...first17].length;
  const problem =
    length !== LENGTH - 1
      ? `the body of a credit code has ${LENGTH - 1} characters, this one has ${length}`
      : illegalCharacterProblem(first17);
  if (problem !== undefined) throw new InvalidInputError('CREDIT_CODE.INVALID', problem);
  return first17 + checkCharacter(first17);
}
