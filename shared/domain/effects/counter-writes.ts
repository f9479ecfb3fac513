import type { StatAddition } from '../counted-against.js';
import { addCounters, emptyCounters, type StatCounters } from '../stats.js';
import { chinaDate } from '../working-days.js';
import type { CounterWrite } from './effect-writes.js';

/** The additions as one `update_stats` per department, agent or enterprise and month (the month of `now`). */
export function counterWrites(additions: readonly StatAddition[], now: Date): CounterWrite[] {
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
