import { z } from 'zod';
import { creditCodeProblem } from './credit-code.js';
import { SYSTEM_ACTOR } from './principal.js';
import type { User } from './project.js';
import { InstantSchema } from './time.js';

/**
 * Local user accounts (the product signs users in itself, locally and on AWS): what a
 * user id and a password must be, what each role's user carries, and what of a user an answer may show.
 */

/** A user id: letters, digits, `_` or `-`, as path parameters are; `system` is the system's own actor id. */
export const UserIdSchema = z
  .string()
  .min(2, 'a user id has at least 2 characters')
  .max(64, 'a user id has at most 64 characters')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]*$/,
    'a user id is letters, digits, _ or - (starting with a letter or digit)',
  )
  .refine((id) => id !== SYSTEM_ACTOR.userId, "'system' is reserved for what the system does by itself");

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * A password an admin sets (or the initial admin password): long rather than clever (NIST SP 800-63B), bounded so
 * that hashing it stays cheap. A sign-in accepts any length up to the maximum, since checking costs the same.
 */
export const NewPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `a password has at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `a password has at most ${PASSWORD_MAX_LENGTH} characters`);

/**
 * A local user's password, as stored: only its hash (which names its KDF, parameters and salt), who set it and
 * when. It lives in its own record, never in an index, and no answer or log line carries it.
 */
export const CredentialSchema = z.object({
  userId: z.string(),
  passwordHash: z.string().min(1),
  setAt: InstantSchema,
  /** `demo-seed`, `bootstrap` (the initial admin) or the id of the admin who set it */
  setBy: z.string(),
});
export type Credential = z.infer<typeof CredentialSchema>;

/** A user as an admin sees it: an allow-list of fields, so nothing added to the record later leaks by default. */
export type UserProfile = Pick<User, 'userId' | 'name' | 'role'> &
  Partial<Pick<User, 'departmentId' | 'enterpriseId' | 'phone' | 'email'>> & { disabled: boolean };

export function userProfile(user: User): UserProfile {
  return {
    ...userSummary(user),
    ...(user.phone ? { phone: user.phone } : {}),
    ...(user.email ? { email: user.email } : {}),
    disabled: user.disabled === true,
  };
}

/** A user as anyone may see it (the demo's list of users, a sign-in's answer): no phone, no e-mail. */
export type UserSummary = Pick<User, 'userId' | 'name' | 'role'> &
  Partial<Pick<User, 'departmentId' | 'enterpriseId'>>;

export function userSummary(user: User): UserSummary {
  return {
    userId: user.userId,
    name: user.name,
    role: user.role,
    ...(user.departmentId ? { departmentId: user.departmentId } : {}),
    ...(user.enterpriseId ? { enterpriseId: user.enterpriseId } : {}),
  };
}

/**
 * What is wrong with the attachments of a user for their role: an officer belongs to a department, an investor
 * to an enterprise (a valid unified social credit code), and no one else to either. (Whether the department
 * exists is for the caller, who can read the departments.)
 *
 * @example userAttributeProblems({ role: 'officer' }) // ["an officer needs a departmentId (the department they decide for)"]
 */
export function userAttributeProblems(user: Pick<User, 'role' | 'departmentId' | 'enterpriseId'>): string[] {
  const problems: string[] = [];
  if (user.role === 'officer' && !user.departmentId) {
    problems.push('an officer needs a departmentId (the department they decide for)');
  }
  if (user.role !== 'officer' && user.departmentId) {
    problems.push(`only an officer belongs to a department; ${withArticle(user.role)} has no departmentId`);
  }
  if (user.role === 'investor') {
    if (!user.enterpriseId) {
      problems.push("an investor needs an enterpriseId (the enterprise's unified social credit code)");
    } else {
      const problem = creditCodeProblem(user.enterpriseId);
      if (problem) problems.push(`enterpriseId: invalid unified social credit code: ${problem}`);
    }
  }
  if (user.role !== 'investor' && user.enterpriseId) {
    problems.push(`only an investor belongs to an enterprise; ${withArticle(user.role)} has no enterpriseId`);
  }
  return problems;
}

const withArticle = (role: string): string => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
