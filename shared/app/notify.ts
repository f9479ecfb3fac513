import {
  type Concern,
  groupKey,
  groupsToRead,
  notificationsOf,
  type UserGroup,
} from '../domain/effects/notifications-of.js';
import type { Audience } from '../domain/escalation-audiences.js';
import type { OutboxSend, StoreOp } from '../store/store.port.js';
import type { AppContext } from './context.js';
import { referenceData } from './reference-cache.js';

export type { Audience, Concern };

/** The users of each group, through the reference cache, as the domain's `notificationsOf` takes them. */
async function usersOfGroups(
  ctx: Pick<AppContext, 'store'>,
  groups: readonly UserGroup[],
): Promise<Map<string, string[]>> {
  const reference = referenceData(ctx.store);
  const lists = await Promise.all(groups.map((g) => reference.usersOf(g)));
  return new Map(groups.map((g, i) => [groupKey(g), (lists[i] ?? []).map((u) => u.userId)]));
}

/**
 * The writes and sends that tell the concerned users (the rule: `notificationsOf`): the users of the groups named
 * and the departments' robots are read through the reference cache first.
 */
export async function notificationEffects(
  ctx: AppContext,
  concerns: readonly Concern[],
  now: Date,
): Promise<{ ops: StoreOp[]; sends: OutboxSend[] }> {
  const reference = referenceData(ctx.store);
  const [users, departments] = await Promise.all([
    usersOfGroups(ctx, groupsToRead(concerns)),
    concerns.some((c) => c.departmentId) ? reference.departments() : [],
  ]);
  const { writes, sends } = notificationsOf(concerns, { users, departments }, now, ctx.newId);
  return { ops: writes, sends };
}
