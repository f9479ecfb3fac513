import { leaderOverview } from '../../../shared/app/dashboard.js';
import { createMeeting, listMeetings, MeetingInputSchema } from '../../../shared/app/meetings.js';
import { departmentReport } from '../../../shared/app/reports.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { localDateTime, localInstant } from '../../../shared/domain/local-time.js';
import { chinaDate } from '../../../shared/domain/working-days.js';
import { RankingChart } from '../../http/charts/ranking.js';
import type { ApiDeps } from '../../http/env.js';
import { meetingStatusText, projectStatusText } from '../../http/labels.js';
import { HeldStepHeads } from '../held-steps.js';
import { Layout, LightBadge, Scroll, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { formAction, render, requireRole, type WebApp, type WebContext } from '../web-env.js';
import { Stat } from './agent.js';

/** A `datetime-local` value (the service centre's local time) as a UTC instant. */
export function beijingInstant(value: string, what: string): string {
  const instant = /T/.test(value) ? localInstant(value) : undefined;
  if (!instant) throw new InvalidInputError('FORM.WHEN', `${what}: give a date and time (YYYY-MM-DD hh:mm)`);
  return instant;
}

/** The leader's dashboard: what is red and yellow, which departments hold us back, projects at risk, meetings. */
export function leaderPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  const dashboard = async (c: WebContext, error?: string, status?: RefusalStatus) => {
    const page = c.get('page');
    const { t } = page;
    const principal = requireRole(c, ['leader', 'admin']);
    const year = chinaDate(ctx.clock.now()).slice(0, 4);
    const month = chinaDate(ctx.clock.now()).slice(0, 7);
    const [overview, report, meetings, departments] = await Promise.all([
      leaderOverview(ctx, principal),
      departmentReport(ctx, principal, { from: `${year}-01`, to: month }),
      listMeetings(ctx, principal, { limit: 10 }),
      ctx.store.listDepartments(),
    ]);
    const deptName = (id: string | null) => {
      const d = departments.find((x) => x.id === id);
      return d ? (page.lang === 'en' ? d.nameEn : d.name) : (id ?? '—');
    };
    const ranked = report.departments.filter((d) => d.breaches + d.deemedApprovals > 0);
    const candidates = overview.held
      .filter((s) => s.light !== 'green')
      .concat(overview.held.filter((s) => s.light === 'green'));
    return render(
      c,
      <Layout ctx={page} title={t('督办看板', 'Leader dashboard')} flash={takeFlash(c)} error={error}>
        <div class="grid">
          <Stat label={t('在办项目', 'Projects in flight')} value={overview.projects} />
          <Stat label={t('红灯事项', 'Red steps')} value={overview.counts.red} />
          <Stat label={t('黄灯事项', 'Yellow steps')} value={overview.counts.yellow} />
          <Stat label={t('已升级督办', 'Escalated')} value={overview.escalations.length} />
          <Stat
            label={t('本年超时默认', 'Deemed approvals this year')}
            value={report.total.deemedApprovals}
          />
        </div>
        <p>{report.headline}</p>
        <section class="card" aria-labelledby="back-h">
          <h2 id="back-h">{t('哪个部门在拖后腿', 'Which department is holding us back')}</h2>
          {overview.holdingBack.length === 0 ? (
            <p>{t('目前没有红灯或黄灯。', 'Nothing is red or yellow now.')}</p>
          ) : (
            <ul>
              {overview.holdingBack.map((d) => (
                <li>
                  <strong>{deptName(d.departmentId)}</strong>：{t('红灯', 'red')} {d.red}，
                  {t('黄灯', 'yellow')} {d.yellow}
                  {t(`（共持有 ${d.held} 项）`, ` (holding ${d.held})`)}
                </li>
              ))}
            </ul>
          )}
          <h3>
            {t(
              `${year} 年部门排名（超时与超时默认）`,
              `Departments ranked in ${year} (breaches and deemed approvals)`,
            )}
          </h3>
          <Scroll label={t('部门排名图', 'Department ranking chart')}>
            <figure>
              <RankingChart
                t={t}
                titleId="ranking-title"
                rows={ranked.map((d) => ({
                  label: deptName(d.departmentId),
                  breaches: d.breaches,
                  deemedApprovals: d.deemedApprovals,
                  onTimeRate: d.onTimeRate,
                }))}
              />
            </figure>
          </Scroll>
        </section>
        <section class="card" aria-labelledby="red-h">
          <h2 id="red-h">{t('红黄灯事项', 'Red and yellow steps')}</h2>
          <Table
            label={t('红黄灯事项', 'Red and yellow steps')}
            heads={[<HeldStepHeads t={t} />, t('督办级别', 'Escalation')]}
          >
            {overview.held
              .filter((s) => s.light !== 'green')
              .map((s) => (
                <tr>
                  <td>
                    <LightBadge ctx={page} light={s.light} />
                  </td>
                  <td>
                    <a href={`/app/projects/${s.projectId}`}>{s.projectName}</a>
                  </td>
                  <td>
                    {s.stepId} {s.stepName}
                  </td>
                  <td>{deptName(s.departmentId)}</td>
                  <td>{s.dueDate ?? '—'}</td>
                  <td>{s.workingDaysLeft}</td>
                  <td>
                    {s.escalationLevel > 0
                      ? t(`第 ${s.escalationLevel} 级`, `rung ${s.escalationLevel}`)
                      : '—'}
                  </td>
                </tr>
              ))}
          </Table>
        </section>
        <section class="card" aria-labelledby="risk-h">
          <h2 id="risk-h">{t('风险项目', 'Projects at risk')}</h2>
          {overview.atRisk.length === 0 ? (
            <p>{t('暂无。', 'None.')}</p>
          ) : (
            <ul>
              {overview.atRisk.map((p) => (
                <li>
                  <a href={`/app/projects/${p.projectId}`}>{p.projectName}</a>（{p.projectCode}）：
                  {t(`红灯 ${p.red}，黄灯 ${p.yellow}`, `${p.red} red, ${p.yellow} yellow`)}
                  {p.status === 'returned' ? ` · ${projectStatusText(t, p.status)}` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="card" aria-labelledby="meet-h">
          <h2 id="meet-h">{t('联审会', 'Joint review meetings')}</h2>
          <ul>
            {meetings.items.map((m) => (
              <li>
                <a href={`/app/meetings/${m.meetingId}`}>{m.title}</a> · {meetingStatusText(t, m.status)}
                {m.scheduledAt ? ` · ${localDateTime(m.scheduledAt)}` : ''}
              </li>
            ))}
          </ul>
          <details open={error !== undefined}>
            <summary>{t('召开联审会', 'Convene a meeting')}</summary>
            <form method="post" action="/app/meetings/convene" id="convene">
              <fieldset>
                <legend>
                  {t('议题（审查中的事项，最多 8 项）', 'Agenda (steps under review, at most 8)')}
                </legend>
                {candidates.slice(0, 40).map((s, i) => (
                  <div class="check">
                    <input
                      type="checkbox"
                      id={`ag-${i}`}
                      name="item"
                      value={`${s.projectId}|${s.stepId}|${s.partId ?? ''}`}
                    />
                    <label for={`ag-${i}`}>
                      <LightBadge ctx={page} light={s.light} /> {s.projectName} · {s.stepId} {s.stepName}（
                      {deptName(s.departmentId)}）
                    </label>
                  </div>
                ))}
              </fieldset>
              <label for="m-title">{t('会议名称', 'Title')}</label>
              <input type="text" id="m-title" name="title" required />
              <label for="m-when">{t('时间（北京时间）', 'When (Beijing time)')}</label>
              <input type="datetime-local" id="m-when" name="scheduledAt" required />
              <label for="m-place">{t('地点', 'Place')}</label>
              <input type="text" id="m-place" name="place" required />
              <button type="submit">{t('召开', 'Convene')}</button>
            </form>
          </details>
        </section>
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/dashboard', (c) => dashboard(c));

  formAction(
    app,
    '/app/meetings/convene',
    ['leader', 'admin', 'officer'],
    async ({ principal, form, t }) => {
      const agenda = form.all('item').map((value) => {
        const [projectId = '', stepId = '', partId = ''] = value.split('|');
        return { projectId, stepId, ...(partId ? { partId } : {}) };
      });
      const meeting = await createMeeting(
        ctx,
        principal,
        MeetingInputSchema.parse({
          title: form.get('title').slice(0, 200),
          agenda,
          invite: [],
          scheduledAt: beijingInstant(form.get('scheduledAt'), t('时间', 'when')),
          place: form.get('place').slice(0, 200),
        }),
      );
      return {
        message: t(
          `已召开联审会：${meeting.title}，已通知 ${meeting.invited.join('、')}`,
          `Meeting convened: ${meeting.title}; invited ${meeting.invited.join(', ')}`,
        ),
        to: `/app/meetings/${meeting.meetingId}`,
      };
    },
    (c, _form, error, status) => dashboard(c, error, status),
  );
}
