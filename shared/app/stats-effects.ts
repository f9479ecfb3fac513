import type { StatAddition } from '../domain/counted-against.js';
import { addCounters, emptyCounters, type StatCounters } from '../domain/stats.js';
import { chinaDate } from '../domain/working-days.js';
import type { StoreOp } from '../store/store.port.js';

/** The additions as one `update_stats` per department or agent and month. */
export function statsOps(additions: readonly StatAddition[], now: Date): StoreOp[] {
  const month = chinaDate(now).slice(0, 7);
  const merged = new Map<string, StatAddition & { add: StatCounters }>();
  for (const addition of additions) {
    const key = `${addition.dimension}#${addition.id}`;
    const seen = merged.get(key);
    merged.set(key, { ...addition, add: addCounters(seen?.add ?? emptyCounters(), addition.add) });
  }
  return [...merged.values()].map((m) => ({
    op: 'update_stats',
    dimension: m.dimension,
    id: m.id,
    month,
    add: m.add,
  }));
}
