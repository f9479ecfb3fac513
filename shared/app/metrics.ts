/**
 * The metrics port: what an operator watches (DESIGN.md observability). On AWS the entry points hand in
 * Powertools' Metrics (CloudWatch embedded metric format, namespace `Daiban`); locally nothing is published.
 *
 * - `Decisions`: decisions recorded (a step's or a joint-review part's), each once, whoever records it: an officer
 *   (or on behalf of an upper level), a meeting's minutes, a batch's collection (上下协同). A deemed approval by the
 *   sweep (超时默认) is not a decision: it counts in `DeemedApprovals`
 * - `Breaches`: steps whose promised limit passed (red lights) · `DeemedApprovals`: 默认同意 applied
 * - `SignalsPending`: outbox entries the scheduled job found still unsent after their grace period
 * - `SignalsRefused`: signals the engine refused (the task no longer waits)
 * - `SweepDuration` (milliseconds) and `SweepFailures`: each scheduled run, and the pieces of work it failed
 */
export type MetricName =
  | 'Decisions'
  | 'Breaches'
  | 'DeemedApprovals'
  | 'SignalsPending'
  | 'SignalsRefused'
  | 'SweepDuration'
  | 'SweepFailures';

export interface Metrics {
  /** Adds `value` to a metric (a count, or milliseconds for `SweepDuration`). */
  add(name: MetricName, value: number): void;
}

/** Publishes nothing (the local runtime, the tests). */
export const noMetrics: Metrics = { add: () => {} };

/** Records what is added, by name (tests). */
export class RecordedMetrics implements Metrics {
  readonly values = new Map<MetricName, number[]>();
  add(name: MetricName, value: number): void {
    this.values.set(name, [...(this.values.get(name) ?? []), value]);
  }
  /** the sum of what was added to a metric */
  total(name: MetricName): number {
    return (this.values.get(name) ?? []).reduce((a, b) => a + b, 0);
  }
}
