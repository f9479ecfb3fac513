import { describe, expect, it } from 'vitest';
import { withCreditCodeCheck } from '../../../shared/domain/credit-code.js';
import type { User } from '../../../shared/domain/project.js';
import {
  NewPasswordSchema,
  UserIdSchema,
  userAttributeProblems,
  userProfile,
  userSummary,
} from '../../../shared/domain/user-accounts.js';

const creditCode = withCreditCodeCheck('91320115MA1WX0001');

describe('local user accounts', () => {
  it.each<[string, Pick<User, 'role' | 'departmentId' | 'enterpriseId'>]>([
    ['an officer of a department', { role: 'officer', departmentId: 'ENV' }],
    ['an investor of an enterprise', { role: 'investor', enterpriseId: creditCode }],
    ['an agent', { role: 'agent' }],
    ['a leader', { role: 'leader' }],
    ['an admin', { role: 'admin' }],
  ])('accepts %s', (_what, user) => {
    expect(userAttributeProblems(user)).toEqual([]);
  });

  it.each<[string, Pick<User, 'role' | 'departmentId' | 'enterpriseId'>, string]>([
    ['an officer without a department', { role: 'officer' }, 'an officer needs a departmentId'],
    ['an investor without an enterprise', { role: 'investor' }, 'an investor needs an enterpriseId'],
    [
      'an investor with a wrong check character',
      { role: 'investor', enterpriseId: `${creditCode.slice(0, 17)}0` },
      'enterpriseId: invalid unified social credit code: wrong check character',
    ],
    ['an agent with a department', { role: 'agent', departmentId: 'ENV' }, 'an agent has no departmentId'],
    [
      'a leader with an enterprise',
      { role: 'leader', enterpriseId: creditCode },
      'a leader has no enterpriseId',
    ],
  ])('refuses %s, saying why', (_what, user, problem) => {
    expect(userAttributeProblems(user).join('; ')).toContain(problem);
  });

  it('keeps user ids plain and leaves "system" to the system', () => {
    // Act / Assess
    expect(UserIdSchema.safeParse('officer-env').success).toBe(true);
    expect(UserIdSchema.safeParse('system').success).toBe(false);
    expect(UserIdSchema.safeParse('a b').success).toBe(false);
    expect(UserIdSchema.safeParse('-x').success).toBe(false);
    expect(UserIdSchema.safeParse('x'.repeat(65)).success).toBe(false);
  });

  it('asks for passwords of 12 to 128 characters', () => {
    // Act / Assess
    expect(NewPasswordSchema.safeParse('eleven-char').success).toBe(false);
    expect(NewPasswordSchema.safeParse('twelve-chars').success).toBe(true);
    expect(NewPasswordSchema.safeParse('x'.repeat(129)).success).toBe(false);
  });

  it('shows an admin the contact details and the disabled flag, and anyone else neither', () => {
    // Prepare
    const user = {
      userId: 'agent-wang',
      name: '王代办',
      role: 'agent',
      phone: '138-0000-1001',
      email: 'wang@daiban.local',
      passwordHash: '$scrypt$…',
    } as User;

    // Act / Assess
    expect(userProfile(user)).toEqual({
      userId: 'agent-wang',
      name: '王代办',
      role: 'agent',
      phone: '138-0000-1001',
      email: 'wang@daiban.local',
      disabled: false,
    });
    expect(userSummary(user)).toEqual({ userId: 'agent-wang', name: '王代办', role: 'agent' });
  });
});
