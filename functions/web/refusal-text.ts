import { errorCodeEntry } from '../../shared/domain/error-codes.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Lang } from '../http/i18n.js';

/**
 * What a Chinese page says for a refusal the use cases word in English the code's own sentence here, else the
 * catalogue's (shared/domain/error-codes.ts), else one for its kind of refusal. English pages keep the use case's words.
 */
const BY_CODE: Record<string, string> = {
  'AUTH.TOO_MANY_ATTEMPTS': '登录失败次数过多，请稍后再试。',
  'PROJECT_CODE.INVALID': '项目代码格式不正确（应为 24 位，如 2026-320115-39-01-000011），请核对后再查。',
  'PROJECT_CODE.NOT_FOUND': '没有以此代码登记的项目，请与备案通知书上的项目代码核对。',
  'BATCH.ALREADY_CARRIED': '该批次已送出，不能再修改。',
  'BATCH.ALREADY_COLLECTED': '该批次的批文已领取。',
  'BATCH.NOT_AN_APPROVAL': '此事项不是需要批文的审批事项，不能组批。',
  'BATCH.NOT_ASSEMBLING': '该批次已不在组批中。',
  'BATCH.NOT_CARRIED': '该批次尚未送出。',
  'BATCH.OTHER_DEPARTMENT': '此事项不属于该批次的部门。',
  'BATCH.STEP_IN_OPEN_BATCH': '此事项已在另一个未送出的批次中。',
  'BATCH.STEP_NOT_IN_REVIEW': '此事项已不在审查中（可能已被部门直接办理）。',
  'BATCH.STEP_NOT_READY': '此事项尚不能申报。',
  'CALENDAR.BUSY': '工作日历正在重算，请稍后再试。',
  'CHAIN.NOT_DEPLOYED': '该流程尚未发布。',
  'CHAIN.VERSION_EXISTS': '该流程的此版本已存在，请把版本号加一。',
  'CHAIN.VERSION_OLD': '版本号低于现行版本，请在现行版本上加一。',
  'CLOCK.ALREADY_PAUSED': '计时已暂停。',
  'CLOCK.NOT_PAUSED': '计时未暂停。',
  'CLOCK.NOT_RUNNING': '此事项没有在计时。',
  'CLOCK.BACKWARDS': '时钟不能往回拨。',
  'CLOCK.REAL': '本系统使用真实时钟，不能调整。',
  'COMPLAINT.STEP_NOT_OPENED': '该事项尚未开始办理，不能投诉。',
  'COMPLAINT.WRONG_STATUS': '该投诉当前的状态不允许此操作（可能已被他人处理）。',
  'IDEMPOTENCY.IN_PROGRESS': '同一请求正在处理中，请稍候刷新。',
  'MEETING.HELD': '会议已召开，不能再更改。',
  'MEETING.ITEM_DECIDED_MEANWHILE': '议题中的事项已被部门办理，请更新议程。',
  'MEETING.NOT_CANCELLABLE': '该会议当前不能取消。',
  'MEETING.NOT_INVITED': '您不在该会议的邀请名单中。',
  'MEETING.NOT_REQUESTED': '该会议不是待审批的申请。',
  'MEETING.NOT_SCHEDULED': '该会议尚未安排或已结束。',
  'MEETING.NOT_STARTED': '会议尚未开始，开始后才能点名和印发纪要。',
  'MEETING.NO_ATTENDANCE': '请先点名，再印发会议纪要。',
  'MEETING.STEP_NOT_OPEN': '只有审查中的事项可以列入议程。',
  'PROJECT.CODE_ALREADY_NATIONAL': '该项目已有全国统一项目代码。',
  'PROJECT.CODE_TAKEN': '该项目代码已被另一项目使用。',
  'PROJECT.INVARIANT': '此操作会使项目状态不一致，未执行。',
  'PROJECT.NOT_IN_FLIGHT': '该项目已办结或撤回，不能再办理。',
  'PROJECT.SAME_AGENT': '该项目已由此代办员负责。',
  'STEP.DEFERRED_MATERIALS_MISSING': '容缺材料尚未补齐。',
  'STEP.NOTHING_DEFERRED': '此事项没有容缺材料。',
  'STEP.NOT_IN_REVIEW': '此事项已不在审查中（可能已被他人办理），请刷新页面。',
  'STEP.NOT_READY': '此事项尚不能申报（前置事项未完成或已申报）。',
  'STEP.NOT_REJECTED': '此事项未被不予许可，无需重新申请。',
  'STEP.NO_COMMITMENT_TO_VERIFY': '此事项没有待核查的承诺。',
  'STEP.NO_SUPPLEMENT_REQUESTED': '此事项没有待补正的要求。',
  'STEP.PREREQUISITE_NOT_PASSED': '前置事项尚未办结。',
  'STEP.SUPPLEMENT_TOO_LATE': '补正期限已过。',
  'STORE.BUSY': '系统繁忙，请稍后再试。',
  'USER.EXISTS': '该账号已存在。',
};

const BY_STATUS: Partial<Record<number, string>> = {
  409: '此操作与当前状态不符（可能已被他人处理），请刷新页面后再试。',
  429: '请求过于频繁，请稍后再试。',
  503: '系统暂时不可用，请稍后再试。',
};

/** Whether a text is written in Chinese: it holds Chinese characters and no run of English words. */
const isChinese = (text: string) =>
  /[\u3400-\u9fff]/.test(text) && !/[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}/.test(text);

/** The message a page shows for a refusal, in the page's language where the use case wrote it in English. */
export function refusalText(lang: Lang, error: unknown, status: number, message: string): string {
  if (lang === 'en' || isChinese(message)) return message;
  const code = error instanceof DomainError ? error.code : undefined;
  const catalogued = code ? errorCodeEntry(code)?.zh : undefined;
  return (
    (code ? BY_CODE[code] : undefined) ??
    (catalogued ? `${catalogued}。` : undefined) ??
    BY_STATUS[status] ??
    message
  );
}
