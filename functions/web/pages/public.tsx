import { publicProgress } from '../../../shared/app/progress.js';
import { chainPath } from '../../../shared/app/project-view.js';
import { type SignedIn, SignInInputSchema } from '../../../shared/app/sign-in.js';
import { DomainError, NotFoundError } from '../../../shared/domain/errors.js';
import type { User } from '../../../shared/domain/project.js';
import type { ApiDeps } from '../../http/env.js';
import { named, type PageContext } from '../../http/i18n.js';
import { roleText, stepStatusText } from '../../http/labels.js';
import { claimDraft, dropDraft } from '../form-draft.js';
import { Layout, Table } from '../layout.js';
import { endSession, type RefusalStatus, refusalOf, safeNext, startSession, takeFlash } from '../session.js';
import { formOf, homeOf, render, type WebApp, type WebContext } from '../web-env.js';

/** Pages without sign-in: the landing page, sign-in, the service guide (六公开) and the progress lookup. */
export function publicPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  app.get('/', async (c) => {
    const page = c.get('page');
    const { t } = page;
    return render(
      c,
      <Layout
        ctx={page}
        title={t('重点项目全程代办', 'Major projects, approvals run for you')}
        flash={takeFlash(c)}
      >
        <p>
          {t(
            '代办员替企业跑完立项到竣工的全部审批；部门按承诺时限办结；投资方随时查看进度；领导督办超时部门。',
            'An agent runs every approval from filing to completion for the enterprise; departments decide within their promised limits; investors follow progress; leaders hold late departments to account.',
          )}
        </p>
        <div class="grid">
          <section class="card" aria-labelledby="lookup-h">
            <h2 id="lookup-h">{t('按项目代码查进度', 'Look up progress by project code')}</h2>
            <LookupForm ctx={page} code="" />
          </section>
          <section class="card" aria-labelledby="guide-h">
            <h2 id="guide-h">{t('办事指南（六公开）', 'Service guide (six things public)')}</h2>
            <p>
              {t(
                '每个审批事项的服务内容、办理流程、申请材料、承诺与法定时限、收费依据与标准。',
                'For every approval: what it is, the procedure, the materials, the promised and legal limits, the fee basis and standard.',
              )}
            </p>
            <a class="button" href="/guide">
              {t('查看办事指南', 'Open the service guide')}
            </a>
          </section>
          <section class="card" aria-labelledby="signin-h">
            <h2 id="signin-h">{t('工作人员与企业登录', 'Sign in')}</h2>
            <p>
              {t(
                '代办员、部门窗口、投资方、领导和管理员登录后看到各自的工作页面。',
                'Agents, department officers, investors, leaders and admins each get their own page.',
              )}
            </p>
            <a class="button" href={page.principal ? homeOf(page.principal.role) : '/sign-in'}>
              {page.principal ? t('进入我的页面', 'Go to my page') : t('登录', 'Sign in')}
            </a>
          </section>
        </div>
      </Layout>,
    );
  });

  app.get('/app', (c) => c.redirect(homeOf(c.get('page').principal?.role ?? ''), 303));

  const signInPage = async (c: WebContext, error?: string, status?: RefusalStatus, userId = '') => {
    const page = c.get('page');
    const { t } = page;
    const next = safeNext(c.req.query('next')) ?? '';
    // demo mode only: who there is to be (production lists no one to strangers)
    const users = deps.issueDevToken ? await ctx.store.listUsers() : [];
    const byRole = (role: User['role']) => users.filter((u) => u.role === role && !u.disabled);
    const expired = c.req.query('expired');
    // a failed attempt keeps where to go back to and why the person is here
    const again = new URLSearchParams({
      ...(next ? { next } : {}),
      ...(expired === 'kept' || expired === 'lost' ? { expired } : {}),
    }).toString();
    return render(
      c,
      <Layout ctx={page} title={t('登录', 'Sign in')} error={error}>
        {expired === 'kept' || expired === 'lost' ? (
          <p class="flash" role="status" data-expired={expired}>
            {expired === 'kept'
              ? t(
                  '登录已过期，表单未提交。您填写的内容已保留：重新登录后将回到该页面并恢复表单，请核对后再提交。',
                  'Your session has expired and the form was not sent. What you typed is kept: sign in again and the page comes back with the form filled in, for you to check and send.',
                )
              : t(
                  '登录已过期，表单未提交；内容过长未能保留。重新登录后将回到该页面。',
                  'Your session has expired and the form was not sent; it was too long to keep. Sign in again to go back to the page.',
                )}
          </p>
        ) : null}
        {deps.accounts ? (
          <form method="post" action={again ? `/sign-in?${again}` : '/sign-in'} class="card" id="sign-in">
            <input type="hidden" name="next" value={next} />
            <p>
              <label for="userId">{t('用户名', 'User id')}</label>
              <input
                id="userId"
                name="userId"
                value={userId}
                required
                maxlength={64}
                autocomplete="username"
                autocapitalize="none"
              />
            </p>
            <p>
              <label for="password">{t('密码', 'Password')}</label>
              <input
                id="password"
                name="password"
                type="password"
                required
                maxlength={256}
                autocomplete="current-password"
              />
            </p>
            <button type="submit">{t('登录', 'Sign in')}</button>
          </form>
        ) : (
          <p>
            {t(
              '此处不提供密码登录：请使用本机构的登录地址，或联系管理员。',
              'Password sign-in is not offered here: use your organisation’s sign-in address, or ask an admin.',
            )}
          </p>
        )}
        {deps.issueDevToken ? (
          <>
            <h2>{t('演示用户', 'Demo users')}</h2>
            <p>
              {t(
                '演示模式：演示用户的密码见启动提示和说明文档；也可直接选择一位演示用户登录。演示模式不用于真实数据。',
                'Demo mode: the demo users’ password is in the start banner and the README; or pick a demo user below. Demo mode is not for real data.',
              )}
            </p>
            {(['agent', 'officer', 'investor', 'leader', 'admin'] as const).map((role) => (
              <section class="card" aria-labelledby={`role-${role}`}>
                <h3 id={`role-${role}`}>{roleText(t, role)}</h3>
                <div class="users">
                  {byRole(role).map((user) => (
                    <form method="post" action="/sign-in/demo">
                      <input type="hidden" name="userId" value={user.userId} />
                      <input type="hidden" name="next" value={next} />
                      <button type="submit" class="secondary" data-user={user.userId}>
                        {user.name} <span class="muted">({user.userId})</span>
                      </button>
                    </form>
                  ))}
                </div>
              </section>
            ))}
          </>
        ) : null}
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/sign-in', (c) => signInPage(c));

  // A password sign-in through the API's LocalSignIn (the same throttle, the same token as POST /auth/login).
  app.post('/sign-in', async (c) => {
    const accounts = deps.accounts;
    const { t } = c.get('page');
    if (!accounts) return signInPage(c, t('此处不提供密码登录', 'password sign-in is not offered here'), 404);
    const form = await formOf(c);
    const userId = form.get('userId').slice(0, 64);
    const parsed = SignInInputSchema.safeParse({ userId, password: form.raw('password') });
    if (!parsed.success) {
      return signInPage(c, t('请填写用户名和密码。', 'enter your user id and password'), 400, userId);
    }
    let signedIn: SignedIn;
    try {
      signedIn = await accounts.signIn.signIn(parsed.data);
    } catch (error) {
      const refusal = refusalOf(error, c.get('page').lang);
      if (refusal.status === 401 && error instanceof DomainError && error.code === 'AUTH.SIGN_IN_FAILED') {
        return signInPage(c, t('用户名或密码错误。', 'wrong user id or password'), 401, userId);
      }
      return signInPage(c, refusal.message, refusal.status, userId);
    }
    c.header('Cache-Control', 'no-store');
    startSession(c, signedIn);
    claimDraft(c, signedIn.user.userId);
    return c.redirect(safeNext(form.get('next')) ?? homeOf(signedIn.user.role), 303);
  });

  // Demo mode only: sign in as a demo user without a password (as POST /auth/dev-token does).
  app.post('/sign-in/demo', async (c) => {
    const issue = deps.issueDevToken;
    const { t } = c.get('page');
    if (!issue) return signInPage(c, t('仅演示模式提供', 'only demo mode offers this'), 404);
    const form = await formOf(c);
    const userId = form.get('userId').slice(0, 64);
    const user = userId ? await ctx.store.getUser(userId) : undefined;
    if (!user || user.disabled) {
      return signInPage(
        c,
        t(
          `没有可用的用户“${userId}”，请从列表中选择。`,
          `there is no enabled user '${userId}': pick one from the list`,
        ),
        400,
      );
    }
    c.header('Cache-Control', 'no-store');
    startSession(c, await issue(user));
    claimDraft(c, user.userId);
    return c.redirect(safeNext(form.get('next')) ?? homeOf(user.role), 303);
  });

  app.post('/sign-out', (c) => {
    endSession(c);
    dropDraft(c);
    return c.redirect('/', 303);
  });

  app.get('/guide', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const chains = await ctx.store.listChains();
    return render(
      c,
      <Layout ctx={page} title={t('办事指南', 'Service guide')}>
        <ul>
          {chains.map((chain) => (
            <li>
              <a href={`/guide/${chain.id}`}>{named(page, chain)}</a>{' '}
              <span class="muted">
                {t(`第${chain.version}版`, `version ${chain.version}`)} ·{' '}
                {t(
                  `${chain.stages.reduce((n, s) => n + s.steps.length, 0)} 个事项`,
                  `${chain.stages.reduce((n, s) => n + s.steps.length, 0)} steps`,
                )}
              </span>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  app.get('/guide/:chainId', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const chainId = c.req.param('chainId');
    const chain = /^[a-z0-9-]{1,60}$/.test(chainId) ? await ctx.store.getChain(chainId) : undefined;
    if (!chain)
      throw new NotFoundError('CHAIN.NOT_FOUND', t(`没有审批流程“${chainId}”`, `no chain '${chainId}'`));
    const departments = new Map((await ctx.store.listDepartments()).map((d) => [d.id, d]));
    const path = chainPath(chain);
    const deptName = (id: string | null) => {
      const d = id ? departments.get(id) : undefined;
      return d ? named(page, d) : t('代办员申报', 'reported by the agent');
    };
    return render(
      c,
      <Layout ctx={page} title={`${named(page, chain)} · ${t('办事指南', 'service guide')}`}>
        <p>
          {t(
            `关键路径 ${path.workingDays} 个工作日（全部串联需 ${path.seriesWorkingDays} 个，按法定时限 ${path.legalWorkingDays} 个；目标 ${chain.targetWorkingDays} 个）。`,
            `Critical path ${path.workingDays} working days (${path.seriesWorkingDays} if every approval ran in series, ${path.legalWorkingDays} at the legal limits; target ${chain.targetWorkingDays}).`,
          )}
        </p>
        {chain.stages.map((stage, index) => (
          <section class="card" aria-labelledby={`stage-${stage.id}`}>
            <h2 id={`stage-${stage.id}`}>
              {t(`第${index + 1}阶段`, `Stage ${index + 1}`)} {named(page, stage)}{' '}
              <span class="muted">
                （{t('牵头', 'lead')}：{deptName(stage.leadDepartmentId)}）
              </span>
            </h2>
            {stage.steps.map((step) => (
              <details id={`step-${step.id}`}>
                <summary>
                  {step.id}. {named(page, step)} — {deptName(step.departmentId)}
                  {step.promisedDays !== null
                    ? t(
                        `，承诺 ${step.promisedDays} / 法定 ${step.legalDays} 个工作日`,
                        `, ${step.promisedDays} / ${step.legalDays} working days`,
                      )
                    : ''}
                </summary>
                <dl>
                  <dt>{t('服务内容', 'Service content')}</dt>
                  <dd>{step.serviceContent}</dd>
                  <dt>{t('办理流程', 'Procedure')}</dt>
                  <dd>
                    <ol>
                      {step.procedure.map((p) => (
                        <li>{p}</li>
                      ))}
                    </ol>
                  </dd>
                  <dt>{t('申请材料', 'Materials')}</dt>
                  <dd>
                    {step.materials.length === 0 ? (
                      t('无', 'none')
                    ) : (
                      <ul>
                        {step.materials.map((m) => (
                          <li>
                            {m.name}
                            {m.original ? t('（原件）', ' (original)') : ''}
                            {m.deferrable ? t('（可容缺受理）', ' (may follow later)') : ''}
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                  <dt>{t('承诺时限 / 法定时限', 'Promised / legal limit')}</dt>
                  <dd>
                    {step.promisedDays === null
                      ? t('不计时（企业申报）', 'not timed (reported by the enterprise)')
                      : step.promisedDays === 0
                        ? t(
                            `即办（法定 ${step.legalDays} 个工作日）`,
                            `on the spot (legal: ${step.legalDays} working days)`,
                          )
                        : t(
                            `${step.promisedDays} 个工作日 / ${step.legalDays} 个工作日`,
                            `${step.promisedDays} / ${step.legalDays} working days`,
                          )}
                  </dd>
                  <dt>{t('收费依据', 'Fee basis')}</dt>
                  <dd>{step.fee.basis}</dd>
                  <dt>{t('收费标准', 'Fee standard')}</dt>
                  <dd>{step.fee.standard}</dd>
                  {step.parts ? (
                    <>
                      <dt>{t('联合审查部门', 'Joint review parts')}</dt>
                      <dd>
                        <ul>
                          {step.parts.map((part) => (
                            <li>
                              {named(page, part)} — {deptName(part.departmentId)}（
                              {t(
                                `承诺 ${part.promisedDays} / 法定 ${part.legalDays}`,
                                `${part.promisedDays} / ${part.legalDays} days`,
                              )}
                              ）
                            </li>
                          ))}
                        </ul>
                      </dd>
                    </>
                  ) : null}
                  {step.prerequisites.length > 0 ? (
                    <>
                      <dt>{t('前置事项', 'Prerequisites')}</dt>
                      <dd>{step.prerequisites.join('、')}</dd>
                    </>
                  ) : null}
                </dl>
              </details>
            ))}
          </section>
        ))}
      </Layout>,
    );
  });

  app.get('/lookup', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const code = (c.req.query('code') ?? '').slice(0, 40);
    if (!code) {
      return render(
        c,
        <Layout ctx={page} title={t('项目进度查询', 'Project progress lookup')}>
          <LookupForm ctx={page} code="" />
        </Layout>,
      );
    }
    let progress: Awaited<ReturnType<typeof publicProgress>>;
    try {
      progress = await publicProgress(ctx, code);
    } catch (error) {
      const refusal = refusalOf(error, page.lang);
      return render(
        c,
        <Layout ctx={page} title={t('项目进度查询', 'Project progress lookup')} error={refusal.message}>
          <LookupForm ctx={page} code={code} />
        </Layout>,
        refusal.status,
      );
    }
    return render(
      c,
      <Layout ctx={page} title={`${progress.name}`}>
        <p>
          {t('项目代码', 'Project code')} <strong>{progress.code}</strong> ·{' '}
          {t(
            `已办结 ${progress.stepsClosed} / ${progress.stepsTotal} 项`,
            `${progress.stepsClosed} of ${progress.stepsTotal} steps closed`,
          )}
        </p>
        {progress.stages.map((stage, index) => (
          <section class="card" aria-labelledby={`ps-${stage.stageId}`}>
            <h2 id={`ps-${stage.stageId}`}>
              {t(`第${index + 1}阶段`, `Stage ${index + 1}`)} {named(page, stage)}{' '}
              <span class="muted">
                （
                {stage.status === 'done'
                  ? t('已完成', 'done')
                  : stage.status === 'current'
                    ? t('进行中', 'in progress')
                    : t('未开始', 'not started')}
                ）
              </span>
            </h2>
            <Table
              label={named(page, stage)}
              heads={['#', t('事项', 'Step'), t('办理部门', 'Department'), t('状态', 'Status')]}
            >
              {stage.steps.map((step) => (
                <tr>
                  <td>{step.stepId}</td>
                  <td>{named(page, step)}</td>
                  <td>
                    {page.lang === 'en' ? (step.departmentNameEn ?? '—') : (step.departmentName ?? '—')}
                  </td>
                  <td class="status" data-step={step.stepId}>
                    {stepStatusText(t, step.status)}
                  </td>
                </tr>
              ))}
            </Table>
          </section>
        ))}
        <LookupForm ctx={page} code={progress.code} />
      </Layout>,
    );
  });
}

function LookupForm(props: { ctx: PageContext; code: string }) {
  const { t } = props.ctx;
  return (
    <form method="get" action="/lookup">
      <label for="code">{t('项目代码（24位）', 'Project code (24 characters)')}</label>
      <input
        type="text"
        id="code"
        name="code"
        value={props.code}
        placeholder="2026-320115-39-01-000011"
        autocomplete="off"
        maxlength={40}
        required
      />
      <button type="submit">{t('查询', 'Look up')}</button>
    </form>
  );
}
