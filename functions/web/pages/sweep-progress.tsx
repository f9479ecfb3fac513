import { requestSweep } from '../../../shared/app/sweep-requests.js';
import type { JobRun } from '../../../shared/app/sweep-runs.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { localDateTime } from '../../../shared/domain/local-time.js';
import { currentRun, type SweepTrigger } from '../../../shared/domain/sweep-run.js';
import type { ApiDeps } from '../../http/env.js';
import type { Translate } from '../../http/i18n.js';
import type { RefusalStatus } from '../session.js';
import { act, requireRole, type WebApp, type WebContext } from '../web-env.js';

/** How many of the latest runs the administration page lists. */
export const RUNS_SHOWN = 5;

const STATE_TEXT: Record<JobRun['state'], [string, string]> = {
  queued: ['已排队，等待开始', 'queued: about to start'],
  running: ['进行中', 'running'],
  done: ['已完成', 'done'],
  stopped: [
    '到时停止，余下留待下次运行继续',
    'stopped at its deadline; the next run continues with the rest',
  ],
  skipped: ['另一运行进行中，本次未执行', 'skipped: another run held the lease'],
  failed: ['失败', 'failed'],
  lost: [
    '中断：进程意外结束，余下留待下次运行继续',
    'lost: its process ended; the next run continues with the rest',
  ],
};

const TRIGGER_TEXT: Record<SweepTrigger, [string, string]> = {
  schedule: ['定时', 'schedule'],
  clock: ['调整模拟时钟', 'clock moved'],
  'sla-sweeps': ['手动', 'by hand'],
};

/** One run: its state, times (local), and how far it has got. */
function RunDetails(props: { run: JobRun; t: Translate }) {
  const { run, t } = props;
  return (
    <dl>
      <dt>{t('状态', 'State')}</dt>
      <dd>
        {t(...STATE_TEXT[run.state])}
        {run.note ? `（${run.note}）` : ''}
      </dd>
      <dt>{t('触发', 'Started by')}</dt>
      <dd>
        {t(...TRIGGER_TEXT[run.trigger])}
        {run.by ? ` · ${run.by}` : ''}
        {run.continues ? t(`，接续运行 ${run.continues}`, `, continuing run ${run.continues}`) : ''}
      </dd>
      <dt>{t('开始', 'Started')}</dt>
      <dd>{localDateTime(run.startedAt)}</dd>
      {run.finishedAt ? (
        <>
          <dt>{t('结束', 'Finished')}</dt>
          <dd>{localDateTime(run.finishedAt)}</dd>
        </>
      ) : (
        <>
          <dt>{t('最近更新', 'Last update')}</dt>
          <dd>{localDateTime(run.updatedAt)}</dd>
        </>
      )}
      <dt>{t('进度', 'Progress')}</dt>
      <dd>
        {t(
          `到期事项 ${run.due} 项，已处理 ${run.done} 项（每秒 ${run.perSecond} 项），失败 ${run.failures} 项，留待下次 ${run.remaining} 项`,
          `${run.done} of ${run.due} due items worked (${run.perSecond}/s), ${run.failures} failed, ${run.remaining} left to the next run`,
        )}
      </dd>
      <dt>{t('时限动作', 'SLA actions')}</dt>
      <dd>
        {t(
          `共 ${run.sla} 个：超时默认 ${run.deemed}，逾期 ${run.breached}，督办升级 ${run.escalated}，暂缓（缺年度安排）${run.held}`,
          `${run.sla} in all: ${run.deemed} deemed approvals, ${run.breached} breaches, ${run.escalated} escalations, ${run.held} held (a year without a schedule)`,
        )}
      </dd>
      {run.lastError ? (
        <>
          <dt>{t('最近错误', 'Last error')}</dt>
          <dd>{run.lastError}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * The administration page's section on the scheduled job (时限监察): the run going on or the last one, how far it
 * has got, the few runs before it, and a button that starts a run by hand. Read from the runs' records, so the same
 * on AWS as locally and after a restart. A storm of due items takes minutes: the page shows its progress.
 */
export function SweepProgressSection(props: { runs: JobRun[]; t: Translate; canStart: boolean }) {
  const { runs, t } = props;
  const run = currentRun(runs, Date.now());
  const earlier = runs.filter((other) => other !== run);
  return (
    <section class="card" aria-labelledby="sweep-h">
      <h2 id="sweep-h">{t('时限监察运行', 'SLA sweep runs')}</h2>
      {run ? (
        <RunDetails run={run} t={t} />
      ) : (
        <p class="hint">{t('尚未记录时限监察运行。', 'No sweep run recorded yet.')}</p>
      )}
      {run ? (
        <p>
          <a href={`/admin/sla-sweeps/${run.runId}`}>{t('进度（JSON）', 'Progress (JSON)')}</a>
          {' · '}
          <a href="/app/admin#sweep-h">{t('刷新', 'Refresh')}</a>
        </p>
      ) : null}
      {earlier.length > 0 ? (
        <details>
          <summary>{t('此前的运行', 'Earlier runs')}</summary>
          <ul>
            {earlier.map((other) => (
              <li key={other.runId}>
                {localDateTime(other.startedAt)} · {t(...STATE_TEXT[other.state])} ·{' '}
                {t(
                  `处理 ${other.done}/${other.due}，留待下次 ${other.remaining}`,
                  `${other.done}/${other.due} worked, ${other.remaining} left`,
                )}{' '}
                <a href={`/admin/sla-sweeps/${other.runId}`}>JSON</a>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {props.canStart ? (
        <form method="post" action="/app/admin/sla-sweeps">
          <button type="submit">{t('立即运行时限监察', 'Run the sweep now')}</button>
        </form>
      ) : null}
    </section>
  );
}

/** `POST /app/admin/sla-sweeps`: starts a run in the background (or joins the one going on) and shows the page. */
export function sweepProgressPages(
  app: WebApp,
  deps: ApiDeps,
  again: (c: WebContext, error: string, status: RefusalStatus) => Promise<Response>,
) {
  app.post('/app/admin/sla-sweeps', (c) => {
    const principal = requireRole(c, ['admin']);
    const { t } = c.get('page');
    return act(
      c,
      async () => {
        assertAllowed(principal, 'admin.operate');
        const asked = { trigger: 'sla-sweeps' as const, by: principal.userId };
        const started = deps.jobs?.start(asked);
        await started?.recorded;
        const { joined } = started
          ? started
          : deps.startSweepJob
            ? await requestSweep(deps.ctx, deps.startSweepJob, asked)
            : (() => {
                throw new ConflictError(
                  'SWEEP.SCHEDULED',
                  'the sweep runs on its schedule here, every minute',
                );
              })();
        return {
          message: joined
            ? t('时限监察正在运行，显示其进度', 'A sweep is running: its progress is shown')
            : t('时限监察已在后台开始', 'The sweep has started in the background'),
          to: '/app/admin#sweep-h',
        };
      },
      (error, status) => again(c, error, status),
    );
  });
}
