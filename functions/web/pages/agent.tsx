import { batchableSteps } from '../../../shared/app/batchable.js';
import { createMeeting, MeetingInputSchema } from '../../../shared/app/meetings.js';
import { markRead, myNotifications } from '../../../shared/app/notifications.js';
import { reapplyStep, resubmitStep, submitStep } from '../../../shared/app/step-actions.js';
import { agentWork, WORK_PAGE_MAX, type WorkItem } from '../../../shared/app/work.js';
import { ResubmissionSchema, SubmissionSchema } from '../../../shared/domain/decision.js';
import { localDate, localDateTime } from '../../../shared/domain/local-time.js';
import type { ApiDeps } from '../../http/env.js';
import type { PageContext } from '../../http/i18n.js';
import { stepStatusText } from '../../http/labels.js';
import { type DepartmentName, departmentNames, withDepartmentNames } from '../departments.js';
import { draftOf, type FormDraft } from '../form-draft.js';
import { HeldStepHeads } from '../held-steps.js';
import { Layout, LightBadge, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import {
  formOf,
  me,
  pageForms,
  render,
  requireRole,
  stepTargetOf,
  type WebApp,
  type WebContext,
} from '../web-env.js';

/** The agent's workbench: what to do next across every project, the forms to do it, and the notifications. */
export function agentPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const workPage = async (c: WebContext, error?: string, status?: RefusalStatus, refill?: FormDraft) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['agent']);
    const cursor = c.req.query('cursor');
    const withHandovers = c.req.query('handovers') === '1';
    const asked = Number(c.req.query('limit'));
    const limit = Number.isInteger(asked) && asked >= 1 && asked <= WORK_PAGE_MAX ? asked : undefined;
    const [work, notes, batchable, dept] = await Promise.all([
      agentWork(ctx, principal, principal.userId, {
        ...(limit ? { limit } : {}),
        ...(cursor ? { cursor: cursor.slice(0, 600) } : {}),
        handovers: withHandovers,
      }),
      myNotifications(ctx, principal, { limit: 8 }),
      cursor ? Promise.resolve([]) : batchableSteps(ctx, principal),
      departmentNames(ctx, page),
    ]);
    const w = work.workload;
    const pageLink = (query: Record<string, string>) =>
      `/app/work?${new URLSearchParams({ ...(limit ? { limit: String(limit) } : {}), ...query }).toString()}`;
    return render(
      c,
      <Layout ctx={page} title={t('代办员工作台', 'Agent workbench')} flash={takeFlash(c)} error={error}>
        <p class="muted">
          {cursor
            ? t(`以下为后续一页的 ${w.projects} 个项目。`, `A further page: ${w.projects} of your projects.`)
            : t(
                `以下为您的前 ${w.projects} 个项目${work.nextCursor ? '（更多项目见下一页）' : ''}。`,
                `Your first ${w.projects} projects${work.nextCursor ? ' (more on the next page)' : ''}.`,
              )}
        </p>
        <div class="grid">
          <Stat label={t('在办项目', 'Active projects')} value={w.active} />
          <Stat label={t('退办待重新申请', 'Returned')} value={w.returned} />
          <Stat label={t('待我办理', 'Due from me')} value={w.todo} />
          <Stat label={t('部门审查中', 'With departments')} value={w.waitingOnDepartments} />
          <Stat label={t('其中红灯', 'of them red')} value={w.red} />
          <Stat label={t('其中黄灯', 'of them yellow')} value={w.yellow} />
        </div>
        {batchable.length > 0 ? (
          <section class="card" aria-labelledby="batch-h">
            <h2 id="batch-h">{t('待组批送往市、省的事项', 'Upper-level steps ready to batch')}</h2>
            <ul>
              {batchable.map((group) => (
                <li data-batchable={group.departmentId}>
                  {group.departmentName}：
                  {group.steps.map((s) => `${s.projectName} ${s.stepId} ${s.stepName}`).join('；')}
                </li>
              ))}
            </ul>
            <p>
              <a href="/app/batches">{t('组批送件', 'Assemble a batch')}</a>
            </p>
          </section>
        ) : null}
        <h2 id="todo-h">{t('下一步要做', 'What to do next')}</h2>
        {work.todo.length === 0 ? (
          <p>{t('本页暂无待办。', 'Nothing is due from you on this page.')}</p>
        ) : (
          <>
            <p class="hint">
              {t(
                '每项点开“办理”即显示其表单，一次只展开一项。',
                'Open “Do it” on an item to show its form; one opens at a time.',
              )}
            </p>
            <ul class="todo-list" aria-labelledby="todo-h">
              {work.todo.map((item) => (
                <TodoItem ctx={page} item={item} dept={dept} />
              ))}
            </ul>
          </>
        )}
        <Pager
          ctx={page}
          first={cursor ? pageLink({}) : undefined}
          next={work.nextCursor ? pageLink({ cursor: work.nextCursor }) : undefined}
        />
        <h2>{t('部门审查中的事项', 'Steps the departments hold')}</h2>
        {work.waiting.length === 0 ? (
          <p>{t('本页没有审查中的事项。', 'No step of this page is under review.')}</p>
        ) : (
          <Table
            label={t('部门审查中的事项', 'Steps the departments hold')}
            class="cards"
            heads={[<HeldStepHeads t={t} />]}
          >
            {work.waiting.map((s) => (
              <tr>
                <td data-label={t('灯', 'Light')}>
                  <LightBadge ctx={page} light={s.light} />
                </td>
                <td data-label={t('项目', 'Project')}>
                  <a href={`/app/projects/${s.projectId}`}>{s.projectName}</a>
                </td>
                <td data-label={t('事项', 'Step')}>
                  {s.stepId} {s.stepName}
                </td>
                <td data-label={t('部门', 'Department')}>{dept(s.departmentId)}</td>
                <td data-label={t('承诺截止', 'Due')}>{s.dueDate ?? '—'}</td>
                <td data-label={t('剩余工作日', 'Days left')}>{s.workingDaysLeft ?? '—'}</td>
              </tr>
            ))}
          </Table>
        )}
        <section class="card" aria-labelledby="req-h">
          <h2 id="req-h">{t('申请召开联审会', 'Request a joint review meeting')}</h2>
          {work.waiting.length === 0 ? (
            <p>{t('本页没有审查中的事项。', 'No step of this page is under review.')}</p>
          ) : (
            <details>
              <summary>{t('填写申请', 'Write the request')}</summary>
              <form method="post" action="/app/work/meeting-request">
                <label for="req-item">{t('议题（审查中的事项）', 'Agenda item (a step under review)')}</label>
                <select id="req-item" name="item">
                  {work.waiting.map((s) => (
                    <option value={`${s.projectId}|${s.stepId}|${s.partId ?? ''}`}>
                      {s.projectName} · {s.stepId} {s.stepName}（{dept(s.departmentId)}）
                    </option>
                  ))}
                </select>
                <label for="req-reason">{t('申请理由', 'Why a meeting is needed')}</label>
                <textarea id="req-reason" name="reason" required />
                <button type="submit">{t('提交申请', 'Send the request')}</button>
              </form>
            </details>
          )}
        </section>
        <section class="card" aria-labelledby="notes-h">
          <h2 id="notes-h">{t('最新消息', 'Latest notifications')}</h2>
          <NotificationList ctx={page} items={notes.items} dept={dept} />
          <a href="/app/notifications">{t('全部消息', 'All notifications')}</a>
        </section>
        <section class="card" aria-labelledby="hand-h">
          <h2 id="hand-h">{t('交接记录', 'Handover history')}</h2>
          {!withHandovers ? (
            <p>
              <a href={pageLink({ ...(cursor ? { cursor } : {}), handovers: '1' })}>
                {t('查看本页项目的交接记录', 'Show the handovers of this page’s projects')}
              </a>
            </p>
          ) : work.handovers.length === 0 ? (
            <p>{t('本页项目暂无交接。', 'No handovers among this page’s projects.')}</p>
          ) : (
            <ul>
              {work.handovers.map((h) => (
                <li>
                  {localDate(h.at)} {h.projectName}：{h.previousAgentId} → {h.agentId}（{h.reason}）
                </li>
              ))}
            </ul>
          )}
        </section>
      </Layout>,
      status ?? 200,
      refill,
    );
  };

  app.get('/app/work', (c) => workPage(c));

  // a refused form: the workbench again, the form filled in as it was sent
  const workForm = pageForms(app, {
    path: '/app/work',
    roles: ['agent'],
    again: async (c, _form, error, status) => workPage(c, error, status, await draftOf(c, '/app/work')),
  });

  workForm('/app/work/submit', async ({ principal, form, t }) => {
    const target = stepTargetOf(form);
    const note = form.get('note');
    const submission = SubmissionSchema.parse({
      materials: form.all('materials'),
      ...(note ? { note } : {}),
    });
    const step = await submitStep(ctx, principal, target.projectId, target.stepId, submission);
    return t(
      `第 ${step.stepId} 项已申报：${stepStatusText(t, step.status)}`,
      `Step ${step.stepId} submitted: ${stepStatusText(t, step.status)}`,
    );
  });

  workForm('/app/work/resubmit', async ({ principal, form, t }) => {
    const target = stepTargetOf(form);
    const note = form.get('note');
    const resubmission = ResubmissionSchema.parse({
      supplied: form.all('supplied'),
      ...(note ? { note } : {}),
    });
    const step = await resubmitStep(ctx, principal, target.projectId, target.stepId, resubmission);
    return t(
      `第 ${step.stepId} 项已补正，恢复计时`,
      `Step ${step.stepId} supplemented; its clock runs again`,
    );
  });

  workForm('/app/work/reapply', async ({ principal, form, t }) => {
    const target = stepTargetOf(form);
    const note = form.get('note').slice(0, 2000);
    const step = await reapplyStep(ctx, principal, target.projectId, target.stepId, note || undefined);
    return t(
      `第 ${step.stepId} 项已重新申请（第 ${step.round} 轮）`,
      `Step ${step.stepId} re-applied (round ${step.round})`,
    );
  });

  workForm('/app/work/meeting-request', async ({ principal, form, t }) => {
    const [projectId = '', stepId = '', partId = ''] = form.get('item').split('|');
    const meeting = await createMeeting(
      ctx,
      principal,
      MeetingInputSchema.parse({
        title: t('联审会申请', 'Joint review meeting request'),
        agenda: [{ projectId, stepId, ...(partId ? { partId } : {}) }],
        invite: [],
        reason: form.get('reason').slice(0, 1000),
      }),
    );
    return {
      message: t('联审会申请已提交，等待领导安排', 'Meeting requested; a leader will schedule or decline it'),
      to: `/app/meetings/${meeting.meetingId}`,
    };
  });

  app.get('/app/notifications', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const cursor = c.req.query('cursor');
    const notes = await myNotifications(ctx, me(c), {
      limit: 50,
      ...(cursor ? { cursor: cursor.slice(0, 600) } : {}),
    });
    return render(
      c,
      <Layout ctx={page} title={t('消息', 'Notifications')} flash={takeFlash(c)}>
        <NotificationList ctx={page} items={notes.items} markable dept={await departmentNames(ctx, page)} />
        {notes.cursor ? (
          <a href={`/app/notifications?cursor=${encodeURIComponent(notes.cursor)}`}>{t('更早', 'Older')}</a>
        ) : null}
      </Layout>,
    );
  });

  app.post('/app/notifications/read', async (c) => {
    const form = await formOf(c);
    const id = form.get('notificationId');
    if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) await markRead(ctx, me(c), id).catch(() => undefined);
    return c.redirect('/app/notifications', 303);
  });
}

function Stat(props: { label: string; value: number | string }) {
  return (
    <div class="stat">
      <div class="muted">{props.label}</div>
      <div class="n">{props.value}</div>
    </div>
  );
}

export { Stat };

type Note = Awaited<ReturnType<typeof myNotifications>>['items'][number];

export function NotificationList(props: {
  ctx: PageContext;
  items: Note[];
  markable?: boolean;
  dept: DepartmentName;
}) {
  const { t } = props.ctx;
  if (props.items.length === 0) return <p>{t('暂无消息。', 'No notifications.')}</p>;
  return (
    <ul>
      {props.items.map((n) => (
        <li>
          <strong>{n.read ? '' : `${t('【未读】', '[new] ')}`}</strong>
          {localDateTime(n.at)} {n.title}
          {n.digest ? (
            <details>
              <summary>{t(`展开 ${n.digest.length} 项`, `Show the ${n.digest.length} items`)}</summary>
              <ul>
                {n.digest.map((d) => (
                  <li>
                    {d.projectId ? (
                      <a href={`/app/projects/${d.projectId}`}>{d.projectCode ?? d.projectId}</a>
                    ) : null}{' '}
                    {withDepartmentNames(d.title, props.dept)}
                  </li>
                ))}
              </ul>
            </details>
          ) : (
            <div class="muted">{withDepartmentNames(n.message, props.dept)}</div>
          )}
          {n.projectId ? (
            <a href={`/app/projects/${n.projectId}`}>{t('查看项目', 'Open the project')}</a>
          ) : null}
          {props.markable && !n.read ? (
            <form class="inline" method="post" action="/app/notifications/read">
              <input type="hidden" name="notificationId" value={n.notificationId} />{' '}
              <button type="submit" class="secondary">
                {t('标为已读', 'Mark read')}
              </button>
            </form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The way to the first and the next page of a list. */
function Pager(props: { ctx: PageContext; first: string | undefined; next: string | undefined }) {
  const { t } = props.ctx;
  if (!props.first && !props.next) return null;
  return (
    <nav class="pager" aria-label={t('翻页', 'Pages')}>
      {props.first ? <a href={props.first}>{t('第一页', 'First page')}</a> : null}
      {props.next ? (
        <a href={props.next} rel="next">
          {t('下一页', 'Next page')}
        </a>
      ) : null}
    </nav>
  );
}

/**
 * One thing due from the agent: a line saying what, where and since when, and its form folded under “办理” (the
 * items share one `name`, so opening one closes the other). Nothing is ticked for the agent: they tick what they hand in.
 */
function TodoItem(props: { ctx: PageContext; item: WorkItem; dept: DepartmentName }) {
  const { ctx, item, dept } = props;
  const { t } = ctx;
  const id = `${item.projectId}-${item.stepId}`;
  const hidden = (
    <>
      <input type="hidden" name="projectId" value={item.projectId} />
      <input type="hidden" name="stepId" value={item.stepId} />
    </>
  );
  const what = {
    submit: t('申报材料', 'Submit the materials'),
    report_milestone: t('申报节点完成', 'Report the milestone'),
    supplement: t('一次性补正', 'Supply what the notice asks for'),
    reapply: t('重新申请', 'Re-apply'),
  }[item.kind];
  return (
    <li class="todo" data-todo={`${item.projectCode}:${item.stepId}`}>
      <div class="todo-line">
        <span class={`kind kind-${item.kind}`}>{what}</span>{' '}
        <a href={`/app/projects/${item.projectId}`}>{item.projectName}</a>
        {' · '}
        {item.stepId} {item.stepName}
        {item.departmentId ? <span class="muted">（{dept(item.departmentId)}）</span> : null}
        {item.since ? (
          <span class="muted">
            {' '}
            {t('自', 'since')} {localDate(item.since)}
          </span>
        ) : null}
      </div>
      <details name="todo-form">
        <summary>{t('办理', 'Do it')}</summary>
        {item.kind === 'submit' || item.kind === 'report_milestone' ? (
          <form method="post" action="/app/work/submit">
            {hidden}
            {item.materials.length > 0 ? (
              <fieldset>
                <legend>{t('勾选已提交的材料', 'Tick the materials handed in')}</legend>
                {item.materials.map((m, i) => (
                  <div class="check">
                    <input type="checkbox" id={`${id}-m${i}`} name="materials" value={m.id ?? m.name} />
                    <label for={`${id}-m${i}`}>
                      {m.name}
                      {m.deferrable ? t('（可容缺）', ' (may follow later)') : ''}
                    </label>
                  </div>
                ))}
              </fieldset>
            ) : null}
            <label for={`${id}-note`}>{t('备注', 'Note')}</label>
            <input type="text" id={`${id}-note`} name="note" />
            <button type="submit">
              {item.kind === 'submit' ? t('申报', 'Submit') : t('报告完成', 'Report done')}
            </button>
          </form>
        ) : item.kind === 'supplement' ? (
          <form method="post" action="/app/work/resubmit">
            {hidden}
            <fieldset>
              <legend>
                {t(
                  '一次性告知书列明的全部材料（勾选已补齐的）',
                  'Everything the one-time notice lists (tick what you supply)',
                )}
              </legend>
              {item.materials.map((m, i) => (
                <div class="check">
                  <input type="checkbox" id={`${id}-s${i}`} name="supplied" value={m.name} />
                  <label for={`${id}-s${i}`}>
                    {m.name}
                    <span class="muted">
                      {' '}
                      — {m.reason}
                      {m.departmentId ? `（${dept(m.departmentId)}）` : ''}
                    </span>
                  </label>
                </div>
              ))}
            </fieldset>
            <label for={`${id}-snote`}>{t('备注', 'Note')}</label>
            <input type="text" id={`${id}-snote`} name="note" />
            <button type="submit">{t('提交补正', 'Send the supplement')}</button>
          </form>
        ) : (
          <form method="post" action="/app/work/reapply">
            {hidden}
            <p>
              {t('不予许可理由', 'Rejected because')}：{item.reason ?? '—'}（{t('依据', 'basis')}：
              {item.legalBasis ?? '—'}）
            </p>
            <label for={`${id}-rnote`}>{t('整改说明', 'What was fixed')}</label>
            <input type="text" id={`${id}-rnote`} name="note" />
            <button type="submit">{t('重新申请', 'Re-apply')}</button>
          </form>
        )}
      </details>
    </li>
  );
}
