import type { Notification } from './notifications.js';

/**
 * A person told of more than this many things of one kind in one flush of the sweep gets one digest (汇总通知)
 * instead: after a holiday week or an outage, a storm of due items would otherwise fill a leader's inbox with
 * hundreds of near-identical lines (ServiceNow and Jira send digests for the same reason).
 */
export const DIGEST_FROM = 3;

/** At most this many items are listed in a digest's message; the count names them all. */
const LISTED = 20;

const KIND_NAMES: Record<Notification['kind'], string> = {
  light_yellow: '黄灯预警',
  breach: '超时（红灯）',
  escalation: '逐级督办',
  deemed_approval: '超时默认（视为同意）',
  meeting: '联审会议',
  supplement: '补正材料',
  decision: '审批决定',
  complaint: '效能投诉',
  applicant_breach: '申请人逾期',
  commitment: '承诺核查',
  calendar: '工作日日历',
  other: '其他',
};

/**
 * The notifications of one sweep flush as they are written: each person's notifications of one kind, when there
 * are more than {@link DIGEST_FROM}, become one digest listing them (its projects, steps and titles); fewer are
 * written as they are. Pure: the digest's id comes from `newId`, its instant is the newest one digested.
 */
export function digestNotifications(
  notifications: readonly Notification[],
  newId: () => string,
): Notification[] {
  const groups = new Map<string, Notification[]>();
  for (const n of notifications) {
    const key = `${n.userId}\u0000${n.kind}`;
    const group = groups.get(key);
    if (group) group.push(n);
    else groups.set(key, [n]);
  }
  return [...groups.values()].flatMap((group) => {
    const [first] = group;
    if (!first || group.length <= DIGEST_FROM) return group;
    const at = group.reduce((latest, n) => (n.at > latest ? n.at : latest), first.at);
    const lines = group
      .slice(0, LISTED)
      .map((n) => `· ${n.projectCode ?? ''} ${n.title}`.replace('·  ', '· '));
    const more = group.length > LISTED ? [`……另有 ${group.length - LISTED} 项`] : [];
    return [
      {
        userId: first.userId,
        notificationId: newId(),
        at,
        kind: first.kind,
        title: `${KIND_NAMES[first.kind]}汇总：${group.length} 项`,
        message: [...lines, ...more].join('\n'),
        digest: group.map((n) => ({
          title: n.title,
          ...(n.projectId ? { projectId: n.projectId } : {}),
          ...(n.projectCode ? { projectCode: n.projectCode } : {}),
          ...(n.stepId ? { stepId: n.stepId } : {}),
          ...(n.partId ? { partId: n.partId } : {}),
        })),
        read: false,
      },
    ];
  });
}
