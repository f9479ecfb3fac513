import type { ProjectStep } from './project.js';
import { clockDue } from './step-clock.js';
import type { EventDraft } from './transition.js';
import { addCalendarDays, type WorkingDayCalendar } from './working-days.js';

/**
 * A 超时默认通知单 the calendar now proves wrong (DOMAIN.md "Never act on a guess"): on the calendar as it now is, the
 * step's promised limit ended later, so on the notice's date the department was not yet late. The notice stays as
 * issued (nothing is edited in place); the correcting record says what the due date really was and from which day a
 * deemed approval could first have been issued. Undefined when the notice still stands (or is no deemed notice).
 */
export function noticeCorrection(calendar: WorkingDayCalendar, item: ProjectStep): EventDraft | undefined {
  const notice = item.approvalDocument;
  if (notice?.source !== 'deemed_notice' || !item.clock) return undefined;
  const due = clockDue(calendar, item.clock);
  if (!due) return undefined;
  const deemableFrom = calendar.workingDayOnOrAfter(addCalendarDays(due.dueDate, 1)).date;
  if (notice.date >= deemableFrom && !due.dueFlagged) return undefined;
  return {
    type: 'deemed_notice_corrected',
    stepId: item.stepId,
    ...(item.partId ? { partId: item.partId } : {}),
    before: { dueDate: item.dueDate ?? null },
    after: { dueDate: due.dueDate, ...(due.dueFlagged ? { dueFlagged: true } : {}) },
    data: {
      notice: notice.number,
      noticeDate: notice.date,
      deemableFrom,
      reason:
        `更正：按更新后的工作日历，该事项承诺时限于 ${due.dueDate} 届满，最早可于 ${deemableFrom} 出具超时默认通知单；` +
        `${notice.number}（${notice.date}）出具时部门尚未超期。原通知单保留不变，以本更正记录为准。`,
    },
  };
}
