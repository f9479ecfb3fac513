import type { PasswordHasher } from '../../shared/auth/password-hasher.port.js';
import type { User } from '../../shared/domain/project.js';
import { NewPasswordSchema } from '../../shared/domain/user-accounts.js';
import { CommitConflictError, type DaibanStore } from '../../shared/store/store.port.js';
import { seedUsers } from './seed-reference.js';

/**
 * The two ways the local runtime runs:
 * - **demo** (the default): the seeded users all sign in with {@link DEMO_PASSWORD}, and anyone may take a token
 *   for any user from `POST /auth/dev-token` (and list them at `GET /auth/users`). For trying Daiban out.
 * - **production** (`--production` or `DAIBAN_MODE=production`): no demo users, no demo projects, no dev tokens;
 *   the first start on an empty table creates the admin `admin` with `DAIBAN_ADMIN_PASSWORD`, who creates the rest.
 *
 * The mode a table was first started in is recorded in it, and the other mode refuses to start on it: a demo start
 * would add users with a published password to a production table, and a production start on demo data would
 * serve users who sign in with one.
 */
export type RuntimeMode = 'demo' | 'production';
export const RUNTIME_MODES: readonly RuntimeMode[] = ['demo', 'production'];

/** The password of every seeded user in demo mode (published in the README: demo mode is not for real data). */
export const DEMO_PASSWORD = 'daiban-demo';
/** The user id of the first admin of a production installation. */
export const FIRST_ADMIN_ID = 'admin';

const INSTALLATION_SETTING = 'installation';

export type InstallationPlan = {
  mode: RuntimeMode;
  /** production on an empty table: the first admin is created with this password */
  firstAdminPassword?: string;
  /** what to tell the operator */
  notes: string[];
};

/**
 * Reads what the table holds and decides what this start will do, writing nothing: throws, with a message saying
 * what to do instead, when the mode does not fit the data, or when production mode starts on an empty table
 * without a valid `DAIBAN_ADMIN_PASSWORD`.
 */
export async function planInstallation(
  store: DaibanStore,
  options: { mode: RuntimeMode; adminPassword?: string | undefined },
): Promise<InstallationPlan> {
  const mark = await store.getSetting(INSTALLATION_SETTING);
  const hasUsers = (await store.listUserPage({ limit: 1 })).items.length > 0;
  // tables from before the two modes existed were demo tables
  const recorded = mark ? String(mark.value.mode) : hasUsers ? 'demo' : undefined;
  const since = mark?.value.since ? ` since ${String(mark.value.since)}` : '';
  if (options.mode === 'demo' && recorded === 'production') {
    throw new Error(
      `This data was set up in production mode${since}: a demo start would add users who sign in with the published demo password. Start it with --production (or DAIBAN_MODE=production); for a demo, use another DAIBAN_DATA_DIR.`,
    );
  }
  if (options.mode === 'production' && recorded === 'demo') {
    throw new Error(
      `This data was set up in demo mode${since}: its users sign in with the published demo password and its projects are made up. Production mode starts on fresh data: use another DAIBAN_DATA_DIR (or TABLE_NAME), or delete this one.`,
    );
  }
  const notes: string[] = [];
  if (options.mode === 'production' && !hasUsers) {
    if (!options.adminPassword) {
      throw new Error(
        `Production mode on an empty table needs the first admin's password: set DAIBAN_ADMIN_PASSWORD (at least 12 characters). The admin signs in as '${FIRST_ADMIN_ID}' (POST /auth/login) and creates the other users (POST /admin/users).`,
      );
    }
    const checked = NewPasswordSchema.safeParse(options.adminPassword);
    if (!checked.success) {
      throw new Error(`DAIBAN_ADMIN_PASSWORD: ${checked.error.issues[0]?.message ?? 'not a valid password'}`);
    }
    return { mode: 'production', firstAdminPassword: checked.data, notes };
  }
  if (options.mode === 'production' && options.adminPassword) {
    notes.push(
      'DAIBAN_ADMIN_PASSWORD is read only on an empty table: ignored (an admin resets passwords with PATCH /admin/users/{id})',
    );
  }
  return { mode: options.mode, notes };
}

/**
 * Carries out a plan: records the mode (first, so a start that stops half-way is still known for what it was),
 * then seeds the demo users that are missing with the demo password (each with its own salt; users an admin
 * changed are left as they are), or creates the first admin. Returns what to tell the operator.
 */
export async function applyInstallation(
  store: DaibanStore,
  passwords: PasswordHasher,
  plan: InstallationPlan,
  now: Date,
): Promise<string[]> {
  const notes = [...plan.notes];
  if (!(await store.getSetting(INSTALLATION_SETTING))) {
    await store.putSetting(
      INSTALLATION_SETTING,
      { mode: plan.mode, since: now.toISOString() },
      { expectedRevision: null },
    );
  }
  if (plan.mode === 'demo') {
    const created = await seedDemoUsers(store, passwords, now);
    if (created > 0) notes.push(`${created} demo user(s) seeded, each signing in with the demo password`);
    return notes;
  }
  if (plan.firstAdminPassword !== undefined) {
    const admin: User = { userId: FIRST_ADMIN_ID, name: '系统管理员', role: 'admin' };
    const passwordHash = await passwords.hash(plan.firstAdminPassword);
    await store.commit([
      { op: 'create_user', user: admin },
      {
        op: 'put_credential',
        credential: { userId: admin.userId, passwordHash, setAt: now.toISOString(), setBy: 'bootstrap' },
        expect: 'absent',
      },
    ]);
    notes.push(`created the first admin '${FIRST_ADMIN_ID}' with the password from DAIBAN_ADMIN_PASSWORD`);
  }
  return notes;
}

/** Creates the demo users that are missing, and a demo password for any that has none (tables from before). */
async function seedDemoUsers(store: DaibanStore, passwords: PasswordHasher, now: Date): Promise<number> {
  const results = await Promise.all(
    seedUsers().map(async (user) => {
      const [stored, credential] = await Promise.all([
        store.getUser(user.userId),
        store.getCredential(user.userId),
      ]);
      if (stored && credential) return 0;
      const passwordHash = await passwords.hash(DEMO_PASSWORD);
      try {
        await store.commit([
          stored ? { op: 'check_user', userId: user.userId } : { op: 'create_user', user },
          {
            op: 'put_credential',
            credential: { userId: user.userId, passwordHash, setAt: now.toISOString(), setBy: 'demo-seed' },
            expect: 'absent',
          },
        ]);
        return stored ? 0 : 1;
      } catch (error) {
        if (error instanceof CommitConflictError) return 0; // another start seeded it meanwhile
        throw error;
      }
    }),
  );
  return results.reduce<number>((a, b) => a + b, 0);
}
