import type { Page, PageRequest } from '../../shared/store/page.js';

/** The page a `PageQuery` asks for, as the use cases take it. */
export const pageRequested = (q: { limit: number; cursor?: string | undefined }): PageRequest => ({
  limit: q.limit,
  ...(q.cursor ? { cursor: q.cursor } : {}),
});

/** A page as a list answers it: its entries under the list's name, then the cursor (absent on the last page). */
export const pageAnswer = <K extends string, T>(name: K, page: Page<T>) =>
  ({ [name]: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) }) as { [P in K]: T[] } & {
    cursor?: string;
  };
