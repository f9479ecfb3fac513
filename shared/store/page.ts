/** A page of a list and the cursor of the next page (absent on the last page). */
export type Page<T> = { items: T[]; cursor?: string };
export type PageRequest = { limit: number; cursor?: string };
