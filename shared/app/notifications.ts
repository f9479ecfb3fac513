import { NotFoundError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';

/** The caller's in-app notifications, newest first. */
export function myNotifications(ctx: AppContext, principal: Principal, page: PageRequest) {
  return ctx.store.listNotifications(principal.userId, page);
}

/** Marks one of the caller's notifications read (someone else's is "not found"). */
export async function markRead(ctx: AppContext, principal: Principal, notificationId: string): Promise<void> {
  if (!(await ctx.store.markNotificationRead(principal.userId, notificationId))) {
    throw new NotFoundError('NOTIFICATION.NOT_FOUND', 'you have no such notification');
  }
}
