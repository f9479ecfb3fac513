import { z } from 'zod';
import { calendarView, changeCalendar } from '../../../shared/app/calendar-admin.js';
import { publishChain } from '../../../shared/app/publish-chain.js';
import { changeSlaPolicy } from '../../../shared/app/sla-policy-admin.js';
import { listRuns } from '../../../shared/app/sweep-requests.js';
import {
  CreateUserInputSchema,
  createUser,
  UpdateUserInputSchema,
  updateUser,
} from '../../../shared/app/user-admin.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { YearScheduleSchema } from '../../../shared/domain/calendar-overrides.js';
import { chainKey } from '../../../shared/domain/chain.js';
import { InvalidInputError, NotFoundError } from '../../../shared/domain/errors.js';
import { SlaPolicySchema } from '../../../shared/domain/sla-policy.js';
import { ChinaDateSchema } from '../../../shared/domain/time.js';
import type { ApiDeps } from '../../http/env.js';
import { levelText, roleText } from '../../http/labels.js';
import { Layout, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { act, formOf, pageForms, render, requireRole, type WebApp, type WebContext } from '../web-env.js';
import { RUNS_SHOWN, SweepProgressSection, sweepProgressPages } from './sweep-progress.js';

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError('FORM.JSON', `${what} is not valid JSON`);
  }
};

/** Administration: departments, chains (publish a version), the working-day calendar, users. */
export function adminPages(app: WebApp, deps: ApiDeps): void {
  const { ctx, accounts } = deps;

  const adminPage = async (c: WebContext, error?: string, status?: RefusalStatus) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['admin']);
    assertAllowed(principal, 'admin.operate');
    const [departments, chains, users, calendar, runs] = await Promise.all([
      ctx.store.listDepartments(),
      ctx.store.listChainVersions(),
      ctx.store.listUsers(),
      calendarView(ctx),
      listRuns(ctx, { limit: RUNS_SHOWN }),
    ]);
    const deptNames = new Map(departments.map((d) => [d.id, page.lang === 'en' ? d.nameEn : d.name]));
    const dept = (id: string) => deptNames.get(id) ?? id;
    return render(
      c,
      <Layout ctx={page} title={t('系统管理', 'Administration')} flash={takeFlash(c)} error={error}>
        <section class="card" aria-labelledby="chains-h">
          <h2 id="chains-h">{t('审批流程', 'Approval chains')}</h2>
          <p>
            <a href="/app/admin/chains/author">
              {t('编写新版本（表格修改、预览、发布）', 'Author a new version (edit, preview, publish)')}
            </a>
          </p>
          <ul>
            {chains.map((chain) => (
              <li>
                <a href={`/guide/${chain.id}`}>{chain.name}</a>{' '}
                {t(`第${chain.version}版`, `version ${chain.version}`)} ·{' '}
                {chain.stages.reduce((n, s) => n + s.steps.length, 0)} {t('个事项', 'steps')} ·{' '}
                <a href={`/app/admin/chains/${chain.id}/${chain.version}`}>
                  {t('定义（JSON）', 'definition (JSON)')}
                </a>
              </li>
            ))}
          </ul>
          <details open={error !== undefined && c.req.path.endsWith('/chains')}>
            <summary>{t('发布新版本', 'Publish a new version')}</summary>
            <form method="post" action="/app/admin/chains">
              <label for="chain-json">
                {t(
                  '流程定义（JSON；可从上方“定义”下载现有版本，修改后把版本号加一）',
                  'Chain definition (JSON; download a version above, change it and raise its version)',
                )}
              </label>
              <textarea id="chain-json" name="chain" rows={8} required translate="no" />
              <button type="submit">{t('校验并发布', 'Validate and publish')}</button>
            </form>
          </details>
        </section>
        <section class="card" aria-labelledby="cal-h">
          <h2 id="cal-h">{t('工作日历', 'Working-day calendar')}</h2>
          <p>
            {t('有官方安排的年份', 'Years with an official schedule')}：{calendar.knownYears.join('、')}
          </p>
          <p>
            {t('管理员补充的年份', 'Years an admin added')}：
            {Object.keys(calendar.overrides.years).join('、') || '—'}
          </p>
          <h3>{t('临时停止办公日', 'Local closures')}</h3>
          <ul>
            {Object.entries(calendar.overrides.closures).map(([date, reason]) => (
              <li>
                {date}：{reason}{' '}
                <form class="inline" method="post" action="/app/admin/closures/lift">
                  <input type="hidden" name="date" value={date} />
                  <button type="submit" class="secondary">
                    {t('取消', 'Lift')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
          <form method="post" action="/app/admin/closures">
            <label for="cl-date">{t('日期', 'Date')}</label>
            <input type="date" id="cl-date" name="date" required />
            <label for="cl-reason">{t('原因', 'Reason')}</label>
            <input type="text" id="cl-reason" name="reason" required />
            <button type="submit">{t('增加停止办公日', 'Add a closure')}</button>
          </form>
          <details>
            <summary>{t('补充某一年的节假日安排', 'Give a year’s official schedule')}</summary>
            <form method="post" action="/app/admin/years">
              <label for="yr">{t('年份', 'Year')}</label>
              <input type="text" id="yr" name="year" inputmode="numeric" required />
              <label for="yr-json">
                {t(
                  '安排（JSON 格式：放假日、调休上班日、来源）',
                  'Schedule (JSON: holidays, workdays, source)',
                )}
              </label>
              <textarea id="yr-json" name="schedule" required translate="no" />
              <button type="submit">{t('保存', 'Save')}</button>
            </form>
          </details>
        </section>
        <section class="card" aria-labelledby="sla-h">
          <h2 id="sla-h">{t('时限监察规则', 'SLA policy')}</h2>
          <p class="hint">
            {t(
              '黄灯阈值、督办升级阶梯（超期工作日数）、约谈与蜗牛奖、效能投诉时限。修改后立即在各处生效。',
              'Yellow thresholds, the escalation ladder (working days overdue), repeat offenders, complaint limits. Applied at once everywhere.',
            )}
          </p>
          <form method="post" action="/app/admin/sla-policy">
            <label for="sla-json">{t('规则（JSON）', 'Policy (JSON)')}</label>
            <textarea id="sla-json" name="policy" rows={14} translate="no">
              {JSON.stringify(ctx.settings.sla, null, 2)}
            </textarea>
            <button type="submit">{t('保存并生效', 'Save and apply')}</button>
          </form>
        </section>
        <SweepProgressSection
          runs={runs.items}
          t={t}
          canStart={deps.jobs !== undefined || deps.startSweepJob !== undefined}
        />
        <section class="card" aria-labelledby="dept-h">
          <h2 id="dept-h">{t('部门', 'Departments')}</h2>
          <Table
            label={t('部门', 'Departments')}
            heads={[t('编号', 'Id'), t('名称', 'Name'), t('层级', 'Level'), t('电话', 'Phone')]}
          >
            {departments.map((d) => (
              <tr>
                <td>
                  <code translate="no">{d.id}</code>
                </td>
                <td>{page.lang === 'en' ? d.nameEn : d.name}</td>
                <td>{levelText(t, d.level)}</td>
                <td>{d.phone ?? '—'}</td>
              </tr>
            ))}
          </Table>
        </section>
        <section class="card" aria-labelledby="users-h">
          <h2 id="users-h">{t('用户', 'Users')}</h2>
          <Table
            label={t('用户', 'Users')}
            class="cards"
            heads={[
              t('账号', 'User'),
              t('姓名', 'Name'),
              t('角色', 'Role'),
              t('部门 / 企业', 'Department / enterprise'),
              accounts ? t('管理', 'Manage') : null,
            ]}
          >
            {users.map((u) => (
              <tr>
                <td data-label={t('账号', 'User')}>{u.userId}</td>
                <td data-label={t('姓名', 'Name')}>{u.name}</td>
                <td data-label={t('角色', 'Role')}>{roleText(t, u.role)}</td>
                <td data-label={t('部门 / 企业', 'Department / enterprise')}>
                  {u.departmentId ? dept(u.departmentId) : (u.enterpriseId ?? '—')}
                </td>
                {accounts ? (
                  <td data-label={t('管理', 'Manage')}>
                    <form method="post" action={`/app/admin/users/${u.userId}`}>
                      <input type="hidden" name="disabled" value={u.disabled ? 'false' : 'true'} />
                      <button type="submit">{u.disabled ? t('启用', 'Enable') : t('停用', 'Disable')}</button>
                    </form>
                    <form method="post" action={`/app/admin/users/${u.userId}`}>
                      <label for={`pw-${u.userId}`}>{t('重置密码', 'New password')}</label>
                      <input
                        type="password"
                        id={`pw-${u.userId}`}
                        name="password"
                        autocomplete="new-password"
                      />
                      <button type="submit">{t('重置', 'Reset')}</button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </Table>
          {accounts ? (
            <form method="post" action="/app/admin/users" aria-labelledby="new-user-h">
              <h3 id="new-user-h">{t('新建用户', 'New user')}</h3>
              <label for="nu-id">{t('账号', 'User id')}</label>
              <input type="text" id="nu-id" name="userId" required />
              <label for="nu-name">{t('姓名', 'Name')}</label>
              <input type="text" id="nu-name" name="name" required />
              <label for="nu-role">{t('角色', 'Role')}</label>
              <select id="nu-role" name="role">
                {(['agent', 'officer', 'investor', 'leader', 'efficiency', 'admin'] as const).map((role) => (
                  <option value={role}>{roleText(t, role)}</option>
                ))}
              </select>
              <label for="nu-dept">{t('部门（经办人）', 'Department (officers)')}</label>
              <input type="text" id="nu-dept" name="departmentId" />
              <label for="nu-ent">{t('统一社会信用代码（业主）', 'Credit code (investors)')}</label>
              <input type="text" id="nu-ent" name="enterpriseId" />
              <label for="nu-pw">{t('初始密码（至少 12 位）', 'Initial password (12+ characters)')}</label>
              <input type="password" id="nu-pw" name="password" autocomplete="new-password" required />
              <button type="submit">{t('新建', 'Create')}</button>
            </form>
          ) : null}
        </section>
        <p>
          <a href="/app/reports/weekly">{t('周报（生成与查看）', 'Weekly reports (generate and read)')}</a>
        </p>
        <p>
          <a href="/app/admin/imports">{t('在办项目导入', 'Import projects in flight')}</a>
        </p>
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/admin', (c) => adminPage(c));
  sweepProgressPages(app, deps, (c, error, status) => adminPage(c, error, status));

  const adminForm = pageForms(app, {
    path: '/app/admin',
    roles: ['admin'],
    again: (c, _form, error, status) => adminPage(c, error, status),
  });

  adminForm('/app/admin/sla-policy', async ({ principal, form, t }) => {
    const policy = SlaPolicySchema.parse(parseJson(form.get('policy'), t('时限监察规则', 'the SLA policy')));
    await changeSlaPolicy(ctx, principal, policy);
    return t('时限监察规则已保存并生效', 'SLA policy saved and applied');
  });

  // Users (the product's own directory): create with an initial password, disable or enable, reset a password.
  if (accounts) {
    const filled = (form: Awaited<ReturnType<typeof formOf>>, name: string) => {
      const value = String(form.get(name) ?? '').trim();
      return value === '' ? {} : { [name]: value };
    };
    app.post('/app/admin/users', async (c) => {
      const principal = requireRole(c, ['admin']);
      const form = await formOf(c);
      const { t } = c.get('page');
      return act(
        c,
        async () => {
          const input = CreateUserInputSchema.parse({
            userId: form.get('userId'),
            name: form.get('name'),
            role: form.get('role'),
            ...filled(form, 'departmentId'),
            ...filled(form, 'enterpriseId'),
            password: form.get('password'),
          });
          const user = await createUser(ctx, accounts.passwords, principal, input);
          return { message: t(`已新建用户 ${user.userId}`, `Created ${user.userId}`), to: '/app/admin' };
        },
        (error, status) => adminPage(c, error, status),
      );
    });
    app.post('/app/admin/users/:userId', async (c) => {
      const principal = requireRole(c, ['admin']);
      const form = await formOf(c);
      const { t } = c.get('page');
      return act(
        c,
        async () => {
          const userId = z
            .string()
            .regex(/^[A-Za-z0-9_.-]{1,64}$/)
            .parse(c.req.param('userId'));
          const disabled = form.get('disabled');
          const change = UpdateUserInputSchema.parse({
            ...(disabled === 'true' || disabled === 'false' ? { disabled: disabled === 'true' } : {}),
            ...filled(form, 'password'),
          });
          await updateUser(ctx, accounts.passwords, principal, userId, change);
          const done =
            change.password !== undefined
              ? t(
                  `已重置 ${userId} 的密码，此前的登录凭证一律作废`,
                  `Reset ${userId}'s password; earlier sessions end`,
                )
              : change.disabled
                ? t(`已停用 ${userId}`, `Disabled ${userId}`)
                : t(`已启用 ${userId}`, `Enabled ${userId}`);
          return { message: done, to: '/app/admin' };
        },
        (error, status) => adminPage(c, error, status),
      );
    });
  }

  app.get('/app/admin/chains/:id/:version', async (c) => {
    requireRole(c, ['admin']);
    const version = Number(c.req.param('version'));
    const id = c.req.param('id');
    const chain =
      /^[a-z0-9-]{1,60}$/.test(id) && Number.isInteger(version)
        ? await ctx.store.getChain(id, version)
        : undefined;
    if (!chain) throw new NotFoundError('CHAIN.NOT_FOUND', 'no such chain version');
    return c.json(chain);
  });

  adminForm('/app/admin/chains', async ({ principal, form, t }) => {
    const chain = await publishChain(
      ctx,
      principal,
      parseJson(form.get('chain'), t('流程定义', 'the chain definition')),
    );
    return t(
      `已发布 ${chainKey(chain)}，状态机已就绪`,
      `Published ${chainKey(chain)} with its state machine`,
    );
  });

  adminForm('/app/admin/closures', async ({ principal, form, t }) => {
    const date = ChinaDateSchema.parse(form.get('date'));
    const reason = z
      .string()
      .trim()
      .min(1, t('请填写原因', 'give the reason'))
      .max(200)
      .parse(form.get('reason'));
    const result = await changeCalendar(ctx, principal, { closure: date, reason });
    return t(
      `已增加 ${date} 停止办公，重算 ${result.recomputed} 项截止日`,
      `Closure on ${date} added; ${result.recomputed} due dates recomputed`,
    );
  });

  adminForm('/app/admin/closures/lift', async ({ principal, form, t }) => {
    const date = ChinaDateSchema.parse(form.get('date'));
    await changeCalendar(ctx, principal, { closure: date, reason: null });
    return t(`已取消 ${date} 停止办公`, `Closure on ${date} lifted`);
  });

  adminForm('/app/admin/years', async ({ principal, form, t }) => {
    const year = z.coerce.number().int().min(2000).max(2100).parse(form.get('year'));
    const schedule = YearScheduleSchema.parse(parseJson(form.get('schedule'), t('安排', 'the schedule')));
    const result = await changeCalendar(ctx, principal, { year, schedule });
    return t(
      `${year} 年安排已保存，重算 ${result.recomputed} 项截止日`,
      `${year} saved; ${result.recomputed} due dates recomputed`,
    );
  });
}
