import type { AppContext } from '../../shared/app/context.js';
import { referenceData } from '../../shared/app/reference-cache.js';
import type { PageContext } from '../http/i18n.js';

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

/**
 * A text written with department codes in brackets (a notification's message: `…（DRC）收到效能投诉`) with their names
 * instead; a bracketed word that is no department's code stays as it is.
 */
export const withDepartmentNames = (text: string, dept: DepartmentName): string =>
  text.replace(/([（(])([A-Z][A-Z0-9_]{1,15})([）)])/g, (all, open, id, close) => {
    const name = dept(id);
    return name === id ? all : `${open}${name}${close}`;
  });
