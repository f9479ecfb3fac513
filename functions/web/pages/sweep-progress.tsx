import type { JobRun } from '../../../shared/app/sweep-runs.js';
import { assertAllowed } from '../../../shared/domain/access-policy.js';
import { ConflictError } from '../../../shared/domain/errors.js';
import { localDateTime } from '../../../shared/domain/local-time.js';
import type { ApiDeps } from '../../http/env.js';
import type { Translate } from '../../http/i18n.js';
import type { RefusalStatus } from '../session.js';
import { act, requireRole, type WebApp, type WebContext } from '../web-env.js';

const STATE_TEXT: Record<JobRun['state'], [string, string]> = {
  running: ['进行中', 'running'],
  done: ['已完成', 'done'],
  stopped: ['到时停止，余下留待下次', 'stopped at its deadline; the rest is left to the next run'],
  skipped: ['另一运行进行中，本次未执行', 'skipped: another run held the lease'],
  failed: ['失败', 'failed'],
};

/**
 * The administration page's section on the scheduled job (时限监察): the run going on or the last one, how far it
 * has got (due, worked, failed, left, per second), and a button that starts a run by hand. A storm of due items
 * takes minutes: the page shows its progress instead of waiting for it.
 */
export function SweepProgressSection(props: { run: JobRun | undefined; t: Translate; canStart: boolean }) {
  const { run, t } = props;
  return (
    <section class="card" aria-labelledby="sweep-h">
      <h2 id="sweep-h">{t('时限监察运行', 'SLA sweep runs')}</h2>
      {run ? (
        <dl>
          <dt>{t('状态', 'State')}</dt>
          <dd>
            {t(...STATE_TEXT[run.state])}
            {run.note ? `（${run.note}）` : ''}
          </dd>
          <dt>{t('开始', 'Started')}</dt>
          <dd>{localDateTime(run.startedAt)}</dd>
          {run.finishedAt ? (
            <>
              <dt>{t('结束', 'Finished')}</dt>
              <dd>{localDateTime(run.finishedAt)}</dd>
            </>
          ) : null}
          <dt>{t('进度', 'Progress')}</dt>
          <dd>
            {t(
              `到期事项 ${run.due} 项，已处理 ${run.done} 项（每秒 ${run.perSecond} 项），失败 ${run.failures} 项，留待下次 ${run.remaining} 项；时限动作 ${run.sla} 个`,
              `${run.done} of ${run.due} due items worked (${run.perSecond}/s), ${run.failures} failed, ${run.remaining} left to the next run; ${run.sla} SLA actions`,
            )}
          </dd>
        </dl>
      ) : (
        <p class="hint">{t('本运行环境尚未运行时限监察。', 'No sweep has run in this runtime yet.')}</p>
      )}
      {run ? (
        <p>
          <a href={`/admin/sla-sweeps/${run.runId}`}>{t('进度（JSON）', 'Progress (JSON)')}</a>
          {' · '}
          <a href="/app/admin#sweep-h">{t('刷新', 'Refresh')}</a>
        </p>
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
        if (!deps.jobs)
          throw new ConflictError(
            'SWEEP.SCHEDULED',
            'the sweep runs on its schedule here (AWS), every minute',
          );
        const { joined } = deps.jobs.start();
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
