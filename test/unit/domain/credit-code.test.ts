import { describe, expect, it } from 'vitest';
import { creditCodeProblem, withCreditCodeCheck } from '../../../shared/domain/credit-code.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';

describe('unified social credit code', () => {
  it('accepts codes with a correct check character', () => {
    // Assess: commonly cited valid codes
    expect(creditCodeProblem('91350100M000100Y43')).toBeUndefined();
    expect(creditCodeProblem('91110000600037341L')).toBeUndefined();
  });

  it('computes the check character the codes in circulation carry', () => {
    // Act / Assess
    expect(withCreditCodeCheck('91350100M000100Y4')).toBe('91350100M000100Y43');
    expect(withCreditCodeCheck('91110000600037341')).toBe('91110000600037341L');
  });

  it('round-trips a made-up seed code', () => {
    // Prepare
    const code = withCreditCodeCheck('91320115MA1XYW123');

    // Assess
    expect(code).toHaveLength(18);
    expect(creditCodeProblem(code)).toBeUndefined();
  });

  it('names the expected check character when it is wrong', () => {
    expect(creditCodeProblem('91350100M000100Y44')).toBe("wrong check character '4': expected 3");
  });

  it('says how long a code must be', () => {
    expect(creditCodeProblem('91350100M000100Y4')).toBe(
      'a unified social credit code has 18 characters, this one has 17',
    );
  });

  it('names a letter that is never used, and lower case', () => {
    // Assess
    expect(creditCodeProblem('91350100M0001O0Y43')).toBe(
      "illegal character 'O' at position 14: I, O, S, V and Z are never used in a credit code",
    );
    expect(creditCodeProblem('91350100m000100Y43')).toMatch(
      /illegal character 'm' at position 9: .*upper case/,
    );
    expect(creditCodeProblem('91350100-000100Y43')).toMatch(/illegal character '-' at position 9/);
  });

  it('refuses to complete a body of the wrong length or with illegal characters', () => {
    // Assess
    expect(() => withCreditCodeCheck('9135')).toThrow(InvalidInputError);
    expect(() => withCreditCodeCheck('91350100I000100Y4')).toThrow(/illegal character 'I'/);
  });
});
