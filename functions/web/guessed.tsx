import type { PageContext } from '../http/i18n.js';

/**
 * The mark next to a date that is a guess (DOMAIN.md "Never act on a guess"): it was counted through a year whose
 * official holiday schedule the calendar does not have yet, assuming weekends only. Nothing acts on it until an
 * admin adds that year; then it is computed again and the mark goes.
 */
export function Guessed(props: { ctx: PageContext; on: boolean | undefined }) {
  if (!props.on) return null;
  const { t } = props.ctx;
  return (
    <span
      class="guessed"
      data-guessed="true"
      title={t(
        '该年度国务院节假日安排尚未录入工作日历：此日期仅按周末推算，系统不据此视为同意、标记逾期或计入信用记录；管理员添加该年安排后自动重算。',
        "The year's official holiday schedule is not in the calendar yet: this date assumes weekends only and nothing is acted on it; it is computed again once an admin adds that year.",
      )}
    >
      {t('（推算）', ' (estimated)')}
    </span>
  );
}
