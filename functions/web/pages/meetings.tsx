import { z } from 'zod';
import {
  answerMeetingRequest,
  cancelMeeting,
  getMeeting,
  listMeetings,
  MinutesInputSchema,
  minuteMeeting,
  recordAttendance,
  rescheduleMeeting,
  respondToMeeting,
} from '../../../shared/app/meetings.js';
import { decide } from '../../../shared/domain/access-policy.js';
import { InvalidInputError } from '../../../shared/domain/errors.js';
import { localDateTime } from '../../../shared/domain/local-time.js';
import type { Meeting } from '../../../shared/domain/meeting.js';
import type { Principal } from '../../../shared/domain/principal.js';
import type { ApiDeps } from '../../http/env.js';
import type { Translate } from '../../http/i18n.js';
import { meetingStatusText, outcomeText } from '../../http/labels.js';
import { Layout, ProjectCell, Table } from '../layout.js';
import { type RefusalStatus, takeFlash } from '../session.js';
import { act, type Form, formOf, linesOf, me, render, type WebApp, type WebContext } from '../web-env.js';
import { materialsFromLines } from './inbox.js';
import { beijingInstant } from './leader.js';

const MeetingId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Joint review meetings: the list, and one meeting's page (agenda, answers, attendance, minutes) with its forms. */
export function meetingPages(app: WebApp, deps: ApiDeps): void {
  const { ctx } = deps;

  app.get('/app/meetings', async (c) => {
    const page = c.get('page');
    const { t } = page;
    const meetings = await listMeetings(ctx, me(c), { limit: 50 });
    return render(
      c,
      <Layout ctx={page} title={t('联审会', 'Joint review meetings')} flash={takeFlash(c)}>
        {meetings.items.length === 0 ? <p>{t('暂无联审会。', 'No meetings.')}</p> : null}
        <ul>
          {meetings.items.map((m) => (
            <li>
              <a href={`/app/meetings/${m.meetingId}`}>{m.title}</a> · {meetingStatusText(t, m.status)}
              {m.scheduledAt ? ` · ${localDateTime(m.scheduledAt)}` : ''} · {m.place ?? ''}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  const meetingPage = async (c: WebContext, error?: string, status?: RefusalStatus) => {
    const page = c.get('page');
    const { t } = page;
    const principal = me(c);
    const meetingId = MeetingId.parse(c.req.param('id'));
    const meeting = await getMeeting(ctx, principal, meetingId);
    const departments = await ctx.store.listDepartments();
    const deptName = (id: string) => {
      const d = departments.find((x) => x.id === id);
      return d ? (page.lang === 'en' ? d.nameEn : d.name) : id;
    };
    const runs = decide(principal, 'meeting.run', { meeting }).allowed;
    const answers = decide(principal, 'meeting.answer_request', { meeting }).allowed;
    const responds = decide(principal, 'meeting.respond', { meeting }).allowed;
    const open = meeting.status === 'requested' || meeting.status === 'proposed';
    return render(
      c,
      <Layout ctx={page} title={meeting.title} flash={takeFlash(c)} error={error}>
        <p>
          <strong>{meetingStatusText(t, meeting.status)}</strong>
          {meeting.scheduledAt ? ` · ${localDateTime(meeting.scheduledAt)}` : ''}
          {meeting.place ? ` · ${meeting.place}` : ''}
          {meeting.convenedBy ? ` · ${t('召集人', 'convened by')} ${meeting.convenedBy.name}` : ''}
          {meeting.requestedBy ? ` · ${t('申请人', 'requested by')} ${meeting.requestedBy.name}` : ''}
        </p>
        {meeting.reason ? (
          <p>
            {t('事由', 'Reason')}：{meeting.reason}
          </p>
        ) : null}
        {meeting.declined ? (
          <p class="error">
            {t('未同意', 'Declined')}：{meeting.declined.reason}
          </p>
        ) : null}
        <section class="card" aria-labelledby="agenda-h">
          <h2 id="agenda-h">{t('议题', 'Agenda')}</h2>
          <Table
            label={t('议题', 'Agenda')}
            heads={[
              '#',
              t('项目', 'Project'),
              t('事项', 'Step'),
              t('部门', 'Department'),
              t('议定', 'Decided'),
            ]}
          >
            {meeting.agenda.map((item) => {
              const minute = meeting.minutes?.items.find((m) => m.itemId === item.itemId);
              return (
                <tr>
                  <td>{item.itemId}</td>
                  <ProjectCell project={item} />
                  <td>
                    {item.stepId} {item.stepName}
                    {item.note ? <div class="muted">{item.note}</div> : null}
                  </td>
                  <td>{deptName(item.departmentId)}</td>
                  <td>{minute ? outcomeText(t, minute.decision.outcome) : '—'}</td>
                </tr>
              );
            })}
          </Table>
        </section>
        <section class="card" aria-labelledby="att-h">
          <h2 id="att-h">{t('参会部门', 'Departments invited')}</h2>
          <ul>
            {meeting.invited.map((d) => {
              const answer = meeting.responses[d];
              const attendance = meeting.attendance;
              return (
                <li>
                  {deptName(d)}：
                  {answer
                    ? answer.answer === 'attend'
                      ? t('确认参会', 'will attend')
                      : `${t('请假', 'on leave')}（${answer.reason ?? ''}）`
                    : t('未答复', 'no answer yet')}
                  {attendance
                    ? ` · ${
                        attendance.present.includes(d)
                          ? t('出席', 'present')
                          : attendance.onLeave.includes(d)
                            ? t('请假', 'on leave')
                            : t('缺席（缺席默认）', 'absent (deemed to consent)')
                      }`
                    : ''}
                </li>
              );
            })}
          </ul>
        </section>
        {meeting.minutes ? (
          <section class="card" aria-labelledby="min-h">
            <h2 id="min-h">
              {t('会议纪要', 'Minutes')} {meeting.minutes.number}
            </h2>
            <ul>
              {[...new Set(meeting.agenda.map((i) => i.projectId))].map((projectId) => (
                <li>
                  <a
                    href={`/app/projects/${projectId}/documents/${`${meeting.meetingId}-${projectId}`.slice(0, 64)}`}
                  >
                    {t('会议纪要（可打印）', 'Minutes (printable)')} ·{' '}
                    {meeting.agenda.find((i) => i.projectId === projectId)?.projectName}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {answers && open ? <AnswerForms meeting={meeting} t={t} /> : null}
        {responds && meeting.status === 'scheduled' ? (
          <section class="card" aria-labelledby="resp-h">
            <h2 id="resp-h">{t('答复邀请', 'Answer the invitation')}</h2>
            <form method="post" action={`/app/meetings/${meeting.meetingId}/response`}>
              <div class="check">
                <input type="radio" id="r-attend" name="answer" value="attend" checked />
                <label for="r-attend">{t('参会', 'Attend')}</label>
              </div>
              <div class="check">
                <input type="radio" id="r-leave" name="answer" value="leave" />
                <label for="r-leave">{t('请假', 'Send leave')}</label>
              </div>
              <label for="r-reason">{t('请假事由', 'Reason for the leave')}</label>
              <input type="text" id="r-reason" name="reason" />
              <button type="submit">{t('答复', 'Answer')}</button>
            </form>
          </section>
        ) : null}
        {runs &&
        (meeting.status === 'scheduled' || meeting.status === 'requested' || meeting.status === 'proposed') &&
        !meeting.attendance ? (
          <section class="card" aria-labelledby="move-h">
            <h2 id="move-h">{t('改期或取消', 'Reschedule or cancel')}</h2>
            {meeting.status === 'scheduled' ? (
              <form method="post" action={`/app/meetings/${meeting.meetingId}/reschedule`}>
                <label for="mv-when">{t('新的时间（北京时间）', 'New time (Beijing time)')}</label>
                <input type="datetime-local" id="mv-when" name="scheduledAt" required />
                <label for="mv-place">{t('地点（不变可不填）', 'Place (leave empty to keep it)')}</label>
                <input type="text" id="mv-place" name="place" />
                <label for="mv-reason">{t('改期理由', 'Reason')}</label>
                <input type="text" id="mv-reason" name="reason" required />
                <button type="submit">
                  {t('改期并通知参会各方', 'Reschedule and tell everyone invited')}
                </button>
              </form>
            ) : null}
            <form method="post" action={`/app/meetings/${meeting.meetingId}/cancellation`}>
              <label for="cx-reason">{t('取消理由', 'Reason for cancelling')}</label>
              <input type="text" id="cx-reason" name="reason" required />
              <button type="submit">{t('取消会议并通知参会各方', 'Cancel and tell everyone invited')}</button>
            </form>
          </section>
        ) : null}
        {meeting.cancelled ? (
          <p class="hint">
            {t(`会议已取消：${meeting.cancelled.reason}`, `Cancelled: ${meeting.cancelled.reason}`)}
          </p>
        ) : null}
        {runs && meeting.status === 'scheduled' ? (
          <>
            <section class="card" aria-labelledby="take-h">
              <h2 id="take-h">{t('点名', 'Attendance')}</h2>
              <form method="post" action={`/app/meetings/${meeting.meetingId}/attendance`}>
                <fieldset>
                  <legend>{t('出席的部门', 'Departments present')}</legend>
                  {meeting.invited.map((d) => (
                    <div class="check">
                      <input
                        type="checkbox"
                        id={`p-${d}`}
                        name="present"
                        value={d}
                        checked={
                          meeting.attendance
                            ? meeting.attendance.present.includes(d)
                            : meeting.responses[d]?.answer === 'attend'
                        }
                      />
                      <label for={`p-${d}`}>{deptName(d)}</label>
                    </div>
                  ))}
                </fieldset>
                <button type="submit">{t('记录出席', 'Record attendance')}</button>
              </form>
            </section>
            <section class="card" aria-labelledby="minute-h">
              <h2 id="minute-h">{t('议定事项（形成会议纪要）', 'Decisions (the minutes)')}</h2>
              {!meeting.attendance ? (
                <p class="hint">{t('先点名，再议定。', 'Take the attendance first.')}</p>
              ) : null}
              <form method="post" action={`/app/meetings/${meeting.meetingId}/minutes`}>
                {meeting.agenda.map((item) => (
                  <fieldset>
                    <legend>
                      {item.itemId}. {item.projectName} · {item.stepId} {item.stepName}
                    </legend>
                    <label for={`o-${item.itemId}`}>{t('议定结果', 'Outcome')}</label>
                    <select id={`o-${item.itemId}`} name={`outcome-${item.itemId}`}>
                      {(
                        ['approved', 'approved_with_conditions', 'supplement', 'rejected', 'noted'] as const
                      ).map((o) => (
                        <option value={o}>{outcomeText(t, o)}</option>
                      ))}
                    </select>
                    <label for={`c-${item.itemId}`}>
                      {t(
                        '条件 / 补正材料（每行一条；材料写“名称｜原因”）',
                        'Conditions / missing materials (one per line; "material | reason")',
                      )}
                    </label>
                    <textarea id={`c-${item.itemId}`} name={`details-${item.itemId}`} />
                    <label for={`b-${item.itemId}`}>
                      {t('法律依据（不予许可）', 'Legal basis (rejection)')}
                    </label>
                    <input type="text" id={`b-${item.itemId}`} name={`basis-${item.itemId}`} />
                    <label for={`r-${item.itemId}`}>{t('理由（不予许可）', 'Reason (rejection)')}</label>
                    <input type="text" id={`r-${item.itemId}`} name={`reason-${item.itemId}`} />
                  </fieldset>
                ))}
                <button type="submit">{t('印发会议纪要', 'Issue the minutes')}</button>
              </form>
            </section>
          </>
        ) : null}
      </Layout>,
      status ?? 200,
    );
  };

  app.get('/app/meetings/:id', (c) => meetingPage(c));

  /**
   * A form on a meeting's page (an answer, attendance, a move of the convener's): `run` calls the use case and says
   * what was done; a refusal shows the page again with the reason.
   */
  const meetingForm = (
    action: string,
    run: (input: { principal: Principal; form: Form; t: Translate; meetingId: string }) => Promise<string>,
  ) =>
    app.post(`/app/meetings/:id/${action}`, async (c) => {
      const principal = me(c);
      const form = await formOf(c);
      const { t } = c.get('page');
      return act(
        c,
        async () => {
          const meetingId = MeetingId.parse(c.req.param('id'));
          return { message: await run({ principal, form, t, meetingId }), to: `/app/meetings/${meetingId}` };
        },
        (error, status) => meetingPage(c, error, status),
      );
    });
  meetingForm('answer', async ({ principal, form, t, meetingId }) => {
    const answer =
      form.get('accept') === 'yes'
        ? {
            accept: true as const,
            scheduledAt: beijingInstant(form.get('scheduledAt'), t('时间', 'when')),
            place: z
              .string()
              .trim()
              .min(1, t('请填写地点', 'give the place'))
              .max(200)
              .parse(form.get('place')),
          }
        : {
            accept: false as const,
            reason: z
              .string()
              .trim()
              .min(1, t('请说明不同意的理由', 'say why it is declined'))
              .max(1000)
              .parse(form.get('reason')),
          };
    await answerMeetingRequest(ctx, principal, meetingId, answer);
    return answer.accept ? t('已安排联审会', 'Meeting scheduled') : t('已答复不同意', 'Request declined');
  });

  const reasonOf = (form: Form, missing: string) =>
    z.string().trim().min(1, missing).max(500).parse(form.get('reason'));

  meetingForm('reschedule', async ({ principal, form, t, meetingId }) => {
    const place = String(form.get('place') ?? '').trim();
    await rescheduleMeeting(ctx, principal, meetingId, {
      scheduledAt: beijingInstant(form.get('scheduledAt'), t('时间', 'when')),
      ...(place ? { place: z.string().max(200).parse(place) } : {}),
      reason: reasonOf(form, t('请说明改期理由', 'say why the meeting moves')),
    });
    return t('已改期并通知参会各方', 'Rescheduled; everyone invited is told');
  });

  meetingForm('cancellation', async ({ principal, form, t, meetingId }) => {
    await cancelMeeting(
      ctx,
      principal,
      meetingId,
      reasonOf(form, t('请说明取消理由', 'say why the meeting is cancelled')),
    );
    return t('会议已取消并通知参会各方', 'Cancelled; everyone invited is told');
  });

  meetingForm('response', async ({ principal, form, t, meetingId }) => {
    const answer =
      form.get('answer') === 'leave'
        ? {
            answer: 'leave' as const,
            reason: reasonOf(form, t('请填写请假事由', 'give the reason for the leave')),
          }
        : { answer: 'attend' as const };
    await respondToMeeting(ctx, principal, meetingId, answer);
    return t('已答复邀请', 'Invitation answered');
  });

  meetingForm('attendance', async ({ principal, form, t, meetingId }) => {
    const present = z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]{1,15}$/))
      .max(30)
      .parse(form.all('present'));
    const { attendance } = await recordAttendance(ctx, principal, meetingId, present);
    const [came, leave, absent] = [attendance?.present, attendance?.onLeave, attendance?.absent].map(
      (list) => list?.length ?? 0,
    );
    return t(
      `已点名：出席 ${came}，请假 ${leave}，缺席 ${absent}`,
      `Attendance: ${came} present, ${leave} on leave, ${absent} absent`,
    );
  });

  meetingForm('minutes', async ({ principal, form, t, meetingId }) => {
    const meeting = await getMeeting(ctx, principal, meetingId);
    const decisions = meeting.agenda.map((item) =>
      minutedFromForm(item.itemId, (name) => form.get(`${name}-${item.itemId}`)),
    );
    const result = await minuteMeeting(ctx, principal, meetingId, MinutesInputSchema.parse({ decisions }));
    return t(
      `会议纪要已印发：${result.meeting.minutes?.number ?? ''}`,
      `Minutes issued: ${result.meeting.minutes?.number ?? ''}`,
    );
  });
}

/** One agenda item's minuted decision from the form's fields. */
function minutedFromForm(itemId: string, get: (name: string) => string) {
  const outcome = get('outcome');
  const details = get('details');
  switch (outcome) {
    case 'approved':
    case 'noted':
      return { itemId, outcome };
    case 'approved_with_conditions':
      return { itemId, outcome, conditions: linesOf(details) };
    case 'supplement':
      return { itemId, outcome, missingMaterials: materialsFromLines(details) };
    case 'rejected':
      return { itemId, outcome, legalBasis: get('basis'), reason: get('reason') };
    default:
      throw new InvalidInputError('FORM.OUTCOME', `agenda item ${itemId}: choose an outcome`);
  }
}

function AnswerForms(props: { meeting: Meeting; t: (zh: string, en: string) => string }) {
  const { t, meeting } = props;
  return (
    <section class="card" aria-labelledby="ans-h">
      <h2 id="ans-h">{t('安排或不同意', 'Schedule or decline')}</h2>
      <form method="post" action={`/app/meetings/${meeting.meetingId}/answer`}>
        <input type="hidden" name="accept" value="yes" />
        <label for="a-when">{t('时间（北京时间）', 'When (Beijing time)')}</label>
        <input type="datetime-local" id="a-when" name="scheduledAt" required />
        <label for="a-place">{t('地点', 'Place')}</label>
        <input type="text" id="a-place" name="place" required />
        <button type="submit">{t('安排', 'Schedule')}</button>
      </form>
      <form method="post" action={`/app/meetings/${meeting.meetingId}/answer`}>
        <input type="hidden" name="accept" value="no" />
        <label for="a-reason">{t('不同意的理由', 'Why it is declined')}</label>
        <input type="text" id="a-reason" name="reason" required />
        <button type="submit" class="secondary">
          {t('不同意', 'Decline')}
        </button>
      </form>
    </section>
  );
}
