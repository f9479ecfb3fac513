import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { approvalOf, type StepView } from '../local/drive-over-http.js';
import { demoEnterprises } from '../local/seed-reference.js';

const USAGE = `The smoke check a district runs after deploying Daiban (or CI against the local runtime).

Usage: npm run smoke -- --url <api> [--user admin] [--password <password>] [options]

  --url <url>          the API's base URL (the stack output ApiUrl, or http://127.0.0.1:3000 locally)
  --user <id>          an admin's user id (default: admin; env DAIBAN_SMOKE_USER)
  --password <pw>      that admin's password (env DAIBAN_SMOKE_PASSWORD: keeps it out of the shell history)
  --chain <id>         the approval chain to register on (default: industrial-enterprise)
  --wait <seconds>     how long the first step may take to open (default: 30)

What it does, each check printed as it passes or fails (exit code 1 on any failure):
  signs in as the admin (POST /auth/login); makes two temporary users, an agent (smoke-agent-<time>) and an
  officer of the department of the first step (smoke-officer-<time>), who sign in by password; the agent
  registers a test project named 冒烟测试-<time>; once its first step is open the agent submits its materials and the
  officer approves it; the project page (JSON and the HTML page) and the public progress lookup show the
  decision; the agent withdraws the project. Clean-up, whatever failed: the project is withdrawn and both
  temporary users are disabled. Projects are never deleted (their history is the audit trail): the test project
  stays, withdrawn, under its recognisable name.

Needs: an admin account (on AWS: made by infra/aws/create-admin.ts; locally in demo mode: admin with the demo
password daiban-demo), the reference chain and departments loaded (infra/aws/load-reference-data.ts).
`;

// biome-ignore lint/suspicious/noExplicitAny: an answer's JSON, read field by field and checked as it is read
type Reply = { status: number; body: any; text: string };

/** A smoke run: every check it made, in order, with its outcome. */
export type SmokeResult = { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };

export type SmokeOptions = {
  url: string;
  user: string;
  password: string;
  chain?: string;
  waitSeconds?: number;
  print?: (line: string) => void;
};

class CheckFailed extends Error {}

/** Runs the smoke check against a running Daiban; never throws (a failure is a failed check). */
export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const base = options.url.replace(/\/+$/, '');
  const print = options.print ?? console.log;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const checks: SmokeResult['checks'] = [];
  const temporaryPassword = `smoke-${randomBytes(12).toString('base64url')}`;

  const call = async (
    method: string,
    path: string,
    init: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body, text };
  };
  const expectStatus = (reply: Reply, status: number, what: string): void => {
    if (reply.status !== status) {
      const message = reply.body?.error?.message ?? reply.text.slice(0, 200);
      throw new CheckFailed(`${what}: HTTP ${reply.status} (expected ${status}): ${message}`);
    }
  };
  const check = async <T>(name: string, run: () => Promise<{ value: T; detail: string }>): Promise<T> => {
    const started = performance.now();
    try {
      const { value, detail } = await run();
      const ms = Math.round(performance.now() - started);
      checks.push({ name, ok: true, detail });
      print(`✓ ${name} (${ms} ms)${detail ? `: ${detail}` : ''}`);
      return value;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      checks.push({ name, ok: false, detail });
      print(`✗ ${name}: ${detail}`);
      throw new CheckFailed(detail);
    }
  };
  const signIn = (userId: string, password: string) =>
    check(`signs in as ${userId} (POST /auth/login)`, async () => {
      const reply = await call('POST', '/auth/login', { body: { userId, password } });
      expectStatus(reply, 200, 'sign-in');
      return { value: String(reply.body.token), detail: `role ${reply.body.user?.role}` };
    });

  const made: string[] = [];
  let project: { id: string; agentToken: string } | undefined;
  let adminToken: string | undefined;
  const makeUser = (userId: string, role: string, name: string, departmentId?: string) =>
    check(`makes the temporary ${role} ${userId}`, async () => {
      const reply = await call('POST', '/admin/users', {
        token: adminToken,
        body: { userId, name, role, password: temporaryPassword, ...(departmentId ? { departmentId } : {}) },
      });
      expectStatus(reply, 201, 'create user');
      made.push(userId);
      return { value: userId, detail: departmentId ? `department ${departmentId}` : '' };
    });

  try {
    await check('the API answers (GET /health)', async () => {
      const reply = await call('GET', '/health');
      expectStatus(reply, 200, 'health');
      return { value: undefined, detail: String(reply.body?.status ?? '') };
    });
    adminToken = await signIn(options.user, options.password);
    const agentId = await makeUser(`smoke-agent-${stamp}`, 'agent', '冒烟测试代办');
    const agentToken = await signIn(agentId, temporaryPassword);
    const name = `冒烟测试-${stamp}`;
    const registered = await check(`registers the test project ${name}`, async () => {
      const reply = await call('POST', '/projects', {
        token: agentToken,
        body: {
          name,
          enterprise: { ...demoEnterprises.jinling },
          investmentCny: 1_000_000,
          chainId: options.chain ?? 'industrial-enterprise',
          attributes: {},
          agentId,
        },
      });
      expectStatus(reply, 201, 'registration');
      return {
        value: { id: String(reply.body.projectId), code: String(reply.body.project?.code ?? '') },
        detail: `project ${reply.body.projectId}, code ${reply.body.project?.code}`,
      };
    });
    project = { id: registered.id, agentToken };
    const path = `/projects/${registered.id}`;
    const step = await check('its first step opens (the workflow runs)', async () => {
      const deadline = Date.now() + (options.waitSeconds ?? 30) * 1000;
      for (;;) {
        const reply = await call('GET', path, { token: agentToken });
        expectStatus(reply, 200, 'project');
        const steps = (reply.body.stages as Array<{ steps: StepView[] }>).flatMap((s) => s.steps);
        const ready = steps.find((s) => s.status === 'ready' && s.departmentId && s.kind !== 'joint');
        if (ready) {
          return {
            value: { ...ready, departmentId: String(ready.departmentId) },
            detail: `step ${ready.stepId} of ${ready.departmentId}`,
          };
        }
        if (Date.now() > deadline) throw new CheckFailed('no step opened in time: is the workflow running?');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    });
    const officerId = await makeUser(`smoke-officer-${stamp}`, 'officer', '冒烟测试窗口', step.departmentId);
    const officerToken = await signIn(officerId, temporaryPassword);
    await check(`the agent submits step ${step.stepId}`, async () => {
      const reply = await call('POST', `${path}/steps/${step.stepId}/submission`, {
        token: agentToken,
        body: { materials: step.materials },
      });
      expectStatus(reply, 200, 'submission');
      return { value: undefined, detail: `${step.materials.length} material(s)` };
    });
    await check(`the officer decides step ${step.stepId}`, async () => {
      const reply = await call('POST', `${path}/steps/${step.stepId}/decision`, {
        token: officerToken,
        body: approvalOf(step.departmentId, step.stepId, undefined),
      });
      expectStatus(reply, 200, 'decision');
      return { value: undefined, detail: String(reply.body.step?.status) };
    });
    await check('the project page shows the decision', async () => {
      const reply = await call('GET', path, { token: agentToken });
      expectStatus(reply, 200, 'project');
      const decided = (reply.body.stages as Array<{ steps: StepView[] }>)
        .flatMap((s) => s.steps)
        .find((s) => s.stepId === step.stepId);
      if (decided?.status !== 'approved') throw new CheckFailed(`step ${step.stepId} is ${decided?.status}`);
      const page = await call('GET', `/app${path}`, {
        headers: { accept: 'text/html', cookie: `daiban_session=${agentToken}` },
      });
      expectStatus(page, 200, 'the HTML page');
      if (!page.text.includes(name)) throw new CheckFailed('the HTML page does not name the project');
      return { value: undefined, detail: `step ${step.stepId} approved; the page names ${name}` };
    });
    await check('the public lookup finds it without sign-in', async () => {
      const reply = await call('GET', `/public/projects/${encodeURIComponent(registered.code)}`);
      expectStatus(reply, 200, 'lookup');
      return { value: undefined, detail: `code ${registered.code}` };
    });
  } catch (error) {
    if (!(error instanceof CheckFailed)) {
      checks.push({ name: 'the smoke check itself', ok: false, detail: String(error) });
      print(`✗ ${String(error)}`);
    }
  } finally {
    // Clean-up, whatever failed: the project withdrawn, the temporary users disabled
    if (project) {
      const { id, agentToken } = project;
      await check('withdraws the test project', async () => {
        const reply = await call('POST', `/projects/${id}/withdrawal`, {
          token: agentToken,
          body: { reason: '冒烟测试结束，撤回测试项目' },
        });
        expectStatus(reply, 200, 'withdrawal');
        return { value: undefined, detail: String(reply.body.project?.status) };
      }).catch(() => undefined);
    }
    for (const userId of made) {
      await check(`disables the temporary user ${userId}`, async () => {
        const reply = await call('PATCH', `/admin/users/${userId}`, {
          token: adminToken,
          body: { disabled: true },
        });
        expectStatus(reply, 200, 'disable');
        return { value: undefined, detail: '' };
      }).catch(() => undefined);
    }
  }
  const ok = checks.length > 0 && checks.every((c) => c.ok);
  print(ok ? `smoke check passed: ${checks.length} checks` : 'smoke check FAILED');
  return { ok, checks };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      chain: { type: 'string' },
      wait: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const password = values.password ?? process.env.DAIBAN_SMOKE_PASSWORD;
  if (values.help || !values.url || !password) {
    console.log(USAGE);
    if (!values.help)
      console.error(
        values.url ? 'give the admin password (--password or DAIBAN_SMOKE_PASSWORD)' : 'give --url',
      );
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const result = await runSmoke({
    url: values.url,
    user: values.user ?? process.env.DAIBAN_SMOKE_USER ?? 'admin',
    password,
    ...(values.chain ? { chain: values.chain } : {}),
    ...(values.wait ? { waitSeconds: Number(values.wait) } : {}),
  });
  process.exitCode = result.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
