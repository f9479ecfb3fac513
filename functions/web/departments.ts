import type { AppContext } from '../../shared/app/context.js';
import { referenceData } from '../../shared/app/reference-cache.js';
import type { PageContext } from './i18n.js';

/** A department as people know it: by its name in the page's language. */
export type DepartmentName = (departmentId: string | null | undefined) => string;

/**
 * The names of the departments, from the process's reference cache: pages show `生态环境局`, never `ENV` (an id that
 * is no department's is shown as it is; none is `—`).
 *
 * @example const dept = await departmentNames(ctx, page); dept('ENV') // '生态环境局'
 */
export async function departmentNames(
  ctx: Pick<AppContext, 'store'>,
  page: PageContext,
): Promise<DepartmentName> {
  const departments = await referenceData(ctx.store).departments();
  const names = new Map(departments.map((d) => [d.id, page.lang === 'en' ? d.nameEn : d.name]));
  return (id) => (id ? (names.get(id) ?? id) : '—');
}
