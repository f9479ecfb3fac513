import { z } from 'zod';
import type { PasswordHasher } from '../auth/password-hasher.port.js';
import { assertAllowed } from '../domain/access-policy.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../domain/errors.js';
import { type Principal, RoleSchema } from '../domain/principal.js';
import type { User } from '../domain/project.js';
import {
  NewPasswordSchema,
  UserIdSchema,
  type UserProfile,
  userAttributeProblems,
  userProfile,
} from '../domain/user-accounts.js';
import { CommitConflictError, type Page, type PageRequest, type StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { referenceData } from './reference-cache.js';

/**
 * An admin manages the users (locally and on AWS: they live in the table): lists them, creates them with an
 * initial password, renames, disables or enables them and resets their password. Every change is one transaction;
 * no answer carries a password or its hash.
 */

const NameSchema = z.string().trim().min(1).max(100);

export const CreateUserInputSchema = z.strictObject({
  userId: UserIdSchema,
  name: NameSchema,
  role: RoleSchema,
  /** officers: the department they decide for (must exist) */
  departmentId: z.string().trim().min(1).max(16).optional(),
  /** investors: their enterprise's unified social credit code (统一社会信用代码) */
  enterpriseId: z
    .string()
    .trim()
    .min(1)
    .max(18, 'a unified social credit code has 18 characters')
    .toUpperCase()
    .optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+()\- ]{3,40}$/, 'a phone number is 3–40 digits, spaces and + ( ) -')
    .optional(),
  email: z.email().max(200).optional(),
  password: NewPasswordSchema,
});
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = z
  .strictObject({
    name: NameSchema.optional(),
    disabled: z.boolean().optional(),
    /** a new password (the user's tokens issued before are refused from now on) */
    password: NewPasswordSchema.optional(),
  })
  .refine(
    (change) => change.name !== undefined || change.disabled !== undefined || change.password !== undefined,
    'say what to change: name, disabled or password',
  );
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

const notFound = (userId: string) =>
  new NotFoundError('USER.NOT_FOUND', `no user '${userId}'; GET /admin/users lists them`);

/** A page of users, by role then id; no password hashes (they are not in these records at all). */
export async function listUserProfiles(
  ctx: AppContext,
  principal: Principal,
  page: PageRequest,
): Promise<Page<UserProfile>> {
  assertAllowed(principal, 'admin.operate');
  const found = await ctx.store.listUserPage(page);
  return { items: found.items.map(userProfile), ...(found.cursor ? { cursor: found.cursor } : {}) };
}

export async function getUserProfile(
  ctx: AppContext,
  principal: Principal,
  userId: string,
): Promise<UserProfile> {
  assertAllowed(principal, 'admin.operate');
  const user = await ctx.store.getUser(userId);
  if (!user) throw notFound(userId);
  return userProfile(user);
}

/**
 * A new user with an initial password: the user and the password hash in one transaction, only if the id is free.
 * An officer's department must exist; an investor's credit code must be valid; no one else carries either.
 */
export async function createUser(
  ctx: AppContext,
  passwords: PasswordHasher,
  principal: Principal,
  input: CreateUserInput,
): Promise<UserProfile> {
  assertAllowed(principal, 'admin.operate');
  const problems = userAttributeProblems(input);
  if (problems.length > 0) throw new InvalidInputError('USER.INVALID', problems.join('; '), { problems });
  if (input.departmentId && !(await ctx.store.getDepartment(input.departmentId))) {
    const known = (await ctx.store.listDepartments()).map((d) => d.id).join(', ');
    throw new InvalidInputError(
      'USER.UNKNOWN_DEPARTMENT',
      `unknown department '${input.departmentId}'; departments: ${known}`,
    );
  }
  const { password, ...attributes } = input;
  const user: User = attributes;
  const passwordHash = await passwords.hash(password);
  try {
    await ctx.store.commit([
      { op: 'create_user', user },
      {
        op: 'put_credential',
        credential: {
          userId: user.userId,
          passwordHash,
          setAt: new Date().toISOString(),
          setBy: principal.userId,
        },
        expect: 'absent',
      },
    ]);
  } catch (error) {
    if (error instanceof CommitConflictError) {
      throw new ConflictError(
        'USER.EXISTS',
        `a user '${user.userId}' exists already; choose another id, or change that user with PATCH /admin/users/${user.userId}`,
      );
    }
    throw error;
  }
  referenceData(ctx.store).forgetUsers();
  ctx.log.info('user created', { userId: user.userId, role: user.role, by: principal.userId });
  return userProfile(user);
}

/**
 * Renames, disables or enables a user, or resets their password, in one transaction, only if the user exists. A
 * disabled user cannot sign in; a reset or a disable refuses every token issued before it at once (the user's
 * `tokensValidFrom` moves on, and a token carries the value it was issued under). An admin cannot disable themselves (another
 * admin can), so an installation never loses its last way in by accident.
 */
export async function updateUser(
  ctx: AppContext,
  passwords: PasswordHasher,
  principal: Principal,
  userId: string,
  change: UpdateUserInput,
): Promise<UserProfile> {
  assertAllowed(principal, 'admin.operate');
  if (change.disabled === true && userId === principal.userId) {
    throw new ForbiddenError('USER.SELF_DISABLE', 'you cannot disable your own account; another admin can');
  }
  const set = {
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
    // tokens use real time (not a simulated clock), and so does this
    ...(change.password !== undefined || change.disabled === true ? { tokensValidFrom: Date.now() } : {}),
  };
  const ops: StoreOp[] = [{ op: 'update_user', userId, set }];
  if (change.password !== undefined) {
    const passwordHash = await passwords.hash(change.password);
    ops.push({
      op: 'put_credential',
      credential: { userId, passwordHash, setAt: new Date().toISOString(), setBy: principal.userId },
      expect: 'any',
    });
  }
  try {
    await ctx.store.commit(ops);
    referenceData(ctx.store).forgetUsers();
  } catch (error) {
    if (error instanceof CommitConflictError) throw notFound(userId);
    throw error;
  }
  ctx.log.info('user changed', {
    userId,
    by: principal.userId,
    changed: Object.keys(change).filter((k) => change[k as keyof UpdateUserInput] !== undefined),
  });
  const user = await ctx.store.getUser(userId);
  if (!user) throw notFound(userId);
  return userProfile(user);
}
