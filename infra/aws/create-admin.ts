import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { PasswordHasher } from '../../shared/auth/password-hasher.port.js';
import { ScryptPasswordHasher } from '../../shared/auth/scrypt-password-hasher.js';
import type { User } from '../../shared/domain/project.js';
import { NewPasswordSchema } from '../../shared/domain/user-accounts.js';
import { CommitConflictError, type DaibanStore } from '../../shared/store/store.port.js';
import { TABLE_OPTIONS, tableOrUsage, withTableStore } from './deployed-table.js';

const USAGE = `Creates the first admin of a deployed Daiban table (a one-off, after the first \`cdk deploy\`), or sets a
new password for an admin who lost theirs. The admin then signs in (POST /auth/login) and creates everyone else
(POST /admin/users, or the admin pages).

Usage: npx tsx infra/aws/create-admin.ts --table <TableName> [options]

  --table <name>       the table of the stateful stack (output TableName of Daiban-<stage>-Stateful)
  --user <id>          the admin's user id (default: admin)
  --name <name>        the admin's display name (default: 系统管理员)
  --reset              the admin exists already: set this new password (their tokens stay valid until they expire)
  --region <region>    AWS region (default: AWS_REGION / your AWS profile; cn-north-1 or cn-northwest-1 in China)
  --endpoint <url>     a DynamoDB endpoint other than AWS's (e.g. DynamoDB Local)

The password is read from DAIBAN_ADMIN_PASSWORD if set, else asked for (not echoed). At least 12 characters.
`;

export type CreateAdminInput = {
  userId: string;
  name: string;
  password: string;
  /** set a new password for an existing admin instead of creating one */
  reset?: boolean;
  now?: Date;
};

/**
 * Creates an admin and their password hash in one transaction, only if the user id is free; with `reset`, sets a new
 * password for an existing admin only (never turns another user into an admin). Returns what was done.
 */
export async function createAdmin(
  store: DaibanStore,
  passwords: PasswordHasher,
  input: CreateAdminInput,
): Promise<'created' | 'reset'> {
  const checked = NewPasswordSchema.safeParse(input.password);
  if (!checked.success) {
    throw new Error(`the password: ${checked.error.issues[0]?.message ?? 'not a valid password'}`);
  }
  const setAt = (input.now ?? new Date()).toISOString();
  const passwordHash = await passwords.hash(checked.data);
  if (input.reset) {
    const user = await store.getUser(input.userId);
    if (user?.role !== 'admin') {
      throw new Error(
        user
          ? `'${input.userId}' is a ${user.role}, not an admin: an admin changes other users (PATCH /admin/users/${input.userId})`
          : `there is no user '${input.userId}' to reset; leave out --reset to create the admin`,
      );
    }
    await store.commit([
      { op: 'check_user', userId: user.userId },
      {
        op: 'put_credential',
        credential: { userId: user.userId, passwordHash, setAt, setBy: 'create-admin --reset' },
        expect: 'any',
      },
    ]);
    return 'reset';
  }
  const admin: User = { userId: input.userId, name: input.name, role: 'admin' };
  try {
    await store.commit([
      { op: 'create_user', user: admin },
      {
        op: 'put_credential',
        credential: { userId: admin.userId, passwordHash, setAt, setBy: 'create-admin' },
        expect: 'absent',
      },
    ]);
  } catch (error) {
    if (error instanceof CommitConflictError) {
      throw new Error(
        `a user '${input.userId}' exists already: nothing changed. To set a new password for that admin, add --reset.`,
      );
    }
    throw error;
  }
  return 'created';
}

/** Asks for a password on the terminal without echoing it. */
async function askPassword(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = new Promise<string>((resolve) => rl.question(question, resolve));
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...TABLE_OPTIONS,
      user: { type: 'string', default: 'admin' },
      name: { type: 'string', default: '系统管理员' },
      reset: { type: 'boolean', default: false },
    },
  });
  const table = tableOrUsage(values, USAGE);
  if (!table) return;
  let password = process.env.DAIBAN_ADMIN_PASSWORD;
  if (!password) {
    if (!process.stdin.isTTY) throw new Error('set DAIBAN_ADMIN_PASSWORD, or run this in a terminal');
    password = await askPassword(`password for ${values.user}: `);
    const again = await askPassword('the same again: ');
    if (again !== password) throw new Error('the two passwords differ: nothing changed');
  }
  await withTableStore(table, values, async (store) => {
    const done = await createAdmin(store, new ScryptPasswordHasher(), {
      userId: values.user,
      name: values.name,
      password,
      reset: values.reset,
    });
    console.log(
      done === 'created'
        ? `created the admin '${values.user}'; sign in with POST /auth/login {"userId": "${values.user}", "password": …}`
        : `set a new password for the admin '${values.user}'`,
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
