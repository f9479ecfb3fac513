import { assertAllowed } from '../domain/access-policy.js';
import type { Denial } from '../domain/audit.js';
import type { Principal } from '../domain/principal.js';
import type { Page, PageRequest } from '../store/store.port.js';
import type { AppContext } from './context.js';

/** A refusal of the access policy, as the audit trail keeps it. */
export function denialOf(
  ctx: AppContext,
  principal: Principal,
  refusal: { action: string; code: string; as: Denial['as'] },
  request: { method: string; path: string },
): Denial {
  return {
    denialId: ctx.newId(),
    at: ctx.clock.now().toISOString(),
    userId: principal.userId,
    role: principal.role,
    ...(principal.departmentId ? { departmentId: principal.departmentId } : {}),
    ...(principal.enterpriseId ? { enterpriseId: principal.enterpriseId } : {}),
    action: refusal.action,
    code: refusal.code,
    as: refusal.as,
    method: request.method.slice(0, 10),
    path: request.path.slice(0, 300),
  };
}

/** The refused attempts of one day, newest first (admins only). */
export function listDenials(
  ctx: AppContext,
  principal: Principal,
  date: string,
  page: PageRequest,
): Promise<Page<Denial>> {
  assertAllowed(principal, 'admin.operate');
  return ctx.store.listDenials(date, page);
}
