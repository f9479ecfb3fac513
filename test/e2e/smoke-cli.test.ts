import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/dynamodb-local.js';
import { type RuntimeProcess, request, spawnScript, startRuntime } from '../support/runtime-process.js';

const ADMIN_PASSWORD = 'smoke first admin password';

/** `npm run smoke -- …` as a district runs it: its exit code and what it printed. */
async function runSmokeCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const smoke = spawnScript('infra/dev/smoke.ts', args, env);
  const code = await smoke.exited;
  return { code, output: smoke.output() };
}

describe('the smoke check (npm run smoke) against the local runtime, as CI runs it', () => {
  const folder = mkdtempSync(join(tmpdir(), 'daiban-smoke-'));
  let runtime: RuntimeProcess | undefined;
  let base: string;

  beforeAll(async () => {
    // a fresh installation in production mode: only the first admin, as after a deployment
    const port = await freePort();
    const dynamoPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    runtime = await startRuntime(
      {
        PORT: String(port),
        DYNAMODB_PORT: String(dynamoPort),
        DAIBAN_DATA_DIR: folder,
        DAIBAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      },
      ['--production'],
    );
  }, 180_000);

  afterAll(async () => {
    if (runtime) {
      runtime.child.kill('SIGINT');
      await runtime.exited;
    }
    rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it('signs in, registers, decides a step, reads the page and the lookup, withdraws and cleans up: exit 0', async () => {
    // Act (the password from the environment, as the usage recommends)
    const { code, output } = await runSmokeCli(['--url', base, '--user', 'admin'], {
      DAIBAN_SMOKE_PASSWORD: ADMIN_PASSWORD,
    });
    const admin = await request(`${base}/auth/login`, {
      method: 'POST',
      body: { userId: 'admin', password: ADMIN_PASSWORD },
    });
    const projects = await request(`${base}/projects`, { token: admin.body.token });
    const users = await request(`${base}/admin/users?limit=100`, { token: admin.body.token });

    // Assess
    expect(code, output).toBe(0);
    for (const check of [
      '✓ the API answers (GET /health)',
      '✓ signs in as admin (POST /auth/login)',
      '✓ registers the test project 冒烟测试-',
      '✓ its first step opens (the workflow runs)',
      '✓ the officer decides step',
      '✓ the project page shows the decision',
      '✓ the public lookup finds it without sign-in',
      '✓ withdraws the test project',
      '✓ disables the temporary user smoke-agent-',
      '✓ disables the temporary user smoke-officer-',
      'smoke check passed',
    ]) {
      expect(output).toContain(check);
    }
    expect(output).not.toContain(ADMIN_PASSWORD);
    const smokeProjects = (projects.body.projects as Array<{ name: string; status: string }>).filter((p) =>
      p.name.startsWith('冒烟测试-'),
    );
    expect(smokeProjects.map((p) => p.status)).toEqual(['withdrawn']);
    const smokeUsers = (users.body.users as Array<{ userId: string; disabled?: boolean }>).filter((u) =>
      u.userId.startsWith('smoke-'),
    );
    expect(smokeUsers).toHaveLength(2);
    expect(smokeUsers.every((u) => u.disabled === true)).toBe(true);
  }, 120_000);

  it('fails with exit code 1, naming the check, when the sign-in is refused', async () => {
    // Act
    const { code, output } = await runSmokeCli(['--url', base, '--password', 'not the admin password']);

    // Assess
    expect(code).toBe(1);
    expect(output).toMatch(/✗ signs in as admin \(POST \/auth\/login\): sign-in: HTTP 401/);
    expect(output).toContain('smoke check FAILED');
  }, 60_000);
});
