/** Small statistics for the benchmarks: percentiles of latency samples, ratios, formatting. */

/** The p-th percentile (nearest rank) of the samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export type Latency = { n: number; p50: number; p99: number; mean: number };

export function latency(samples: readonly number[]): Latency {
  const mean = samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), mean };
}

/** a / b rounded to two decimals (NaN when b is 0). */
export const ratio = (a: number, b: number): number =>
  b === 0 ? Number.NaN : Math.round((a / b) * 100) / 100;

export const ms = (value: number): string =>
  Number.isNaN(value) ? '–' : value < 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(0)} ms`;

export const perSecond = (value: number): string =>
  Number.isNaN(value) ? '–' : `${value < 100 ? value.toFixed(1) : value.toFixed(0)}/s`;

export const round2 = (value: number): number => Math.round(value * 100) / 100;
