import type { SlaPolicy } from './sla-policy.js';
import type { ClockReading } from './step-clock.js';

/** 红黄灯预警: green in time, yellow when the promised limit nears its end, red once it has passed. */
export type Light = 'green' | 'yellow' | 'red';

const RANK: Record<Light, number> = { green: 0, yellow: 1, red: 2 };

/** The light of a clock reading against the thresholds of the policy (data, default 1 day left or 75%). */
export function lightOf(
  reading: Pick<ClockReading, 'elapsed' | 'promisedLeft' | 'overdue'>,
  promisedDays: number,
  policy: SlaPolicy,
): Light {
  if (reading.overdue || reading.promisedLeft < 0) return 'red';
  if (reading.promisedLeft <= policy.yellowDaysLeft) return 'yellow';
  if (promisedDays > 0 && reading.elapsed / promisedDays >= policy.yellowElapsedRatio) return 'yellow';
  return 'green';
}

/** The worst of several lights (a project's, a stage's, a department's roll-up); green when there are none. */
export function worstLight(lights: Iterable<Light>): Light {
  let worst: Light = 'green';
  for (const light of lights) if (RANK[light] > RANK[worst]) worst = light;
  return worst;
}

/** Counts of each light, for roll-ups. */
export function countLights(lights: Iterable<Light>): Record<Light, number> {
  const counts: Record<Light, number> = { green: 0, yellow: 0, red: 0 };
  for (const light of lights) counts[light] += 1;
  return counts;
}
