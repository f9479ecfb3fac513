import { DOCUMENT_TITLES, type ProjectDocument } from './documents.js';
import { targetName } from './sla-news.js';
import type { ProjectState } from './transition.js';
import { chinaDate } from './working-days.js';

/** The 超时默认通知单's sequence of a year: numbered from 1 each year. */
export const deemedNoticeSequence = (now: Date): string => `deemed-notice#${chinaDate(now).slice(0, 4)}`;

/** A notice's number, e.g. 超时默认〔2026〕第0007号. */
export const deemedNoticeNumber = (year: string, serial: number): string =>
  `超时默认〔${year}〕第${String(serial).padStart(4, '0')}号`;

/** What the notice states as the rule it applies and what follows from it. */
export const DEEMED_RULE =
  '超时默认：审批部门在承诺时限内未作出决定，且未依法办理延期或中止手续的，视为同意，系统于时限届满后的下一个工作日出具本通知单，后续环节不得以缺少该前置审批为由拒绝受理。';
export const DEEMED_CONSEQUENCE =
  '本事项按审批通过处理，申请人可凭本通知单办理后续手续；该超时情形记入部门效能考核。';

/**
 * The 超时默认通知单 (DOMAIN.md 超时默认): the document a deemed approval issues, numbered in the year's sequence,
 * stored on the project and printable; the step records its number as its approval. `state` is the project before
 * the deemed approval (the item still in review, with its clock).
 */
export function deemedNotice(input: {
  state: ProjectState;
  target: { stepId: string; partId?: string };
  /** the handling department's name as the notice prints it (its id when it is not known) */
  departmentName: string | undefined;
  serial: number;
  docId: string;
  now: Date;
}): ProjectDocument {
  const { state, target, now } = input;
  const item = state.items.get(target.partId ? `${target.stepId}#${target.partId}` : target.stepId);
  const noticeDate = chinaDate(now);
  return {
    projectId: state.project.projectId,
    docId: input.docId,
    kind: 'deemed_approval_notice',
    number: deemedNoticeNumber(noticeDate.slice(0, 4), input.serial),
    title: DOCUMENT_TITLES.deemed_approval_notice,
    issuedAt: now.toISOString(),
    stepId: target.stepId,
    ...(target.partId ? { partId: target.partId } : {}),
    ...(item?.departmentId ? { departmentId: item.departmentId } : {}),
    fields: {
      projectCode: state.project.code,
      projectName: state.project.name,
      enterpriseName: state.project.enterpriseName,
      stepName: targetName(state, target),
      departmentName: input.departmentName ?? item?.departmentId ?? null,
      submittedAt: item?.submittedAt ?? null,
      acceptedOn: item?.clock?.acceptedOn ?? null,
      promisedDays: item?.clock?.promisedDays ?? null,
      dueDate: item?.dueDate ?? null,
      noticeDate,
      rule: DEEMED_RULE,
      consequence: DEEMED_CONSEQUENCE,
    },
  };
}
