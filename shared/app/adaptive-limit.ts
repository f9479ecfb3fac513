/**
 * How many pieces of due work the sweep keeps in flight, adapted to what the database answers (TCP Vegas's rule, as
 * Netflix's concurrency-limits applies it to services): the shortest time a piece took lately is the time without
 * a queue; the time the latest took, against it, says how many pieces wait in the database's queue. While fewer than
 * `alpha` wait the limit grows by one, past `beta` it shrinks by one, between them it holds. It starts at one, so the
 * first pieces measure the time without a queue; the shortest is kept for the run (a limit lives one run). A storm then keeps the
 * database busy without a long queue in front of it, so the people using the API meanwhile are answered without
 * waiting behind hundreds of the sweep's transactions; on AWS, throttling (retries make pieces slow) shrinks it too.
 */
export class AdaptiveLimit {
  #limit: number;
  #shortest = Number.POSITIVE_INFINITY;
  #seen = 0;

  constructor(
    private readonly options: {
      /** the most at once (`DAIBAN_SWEEP_CONCURRENCY`) */
      max: number;
      min?: number;
      initial?: number;
      alpha?: number;
      beta?: number;
    },
  ) {
    this.#limit = Math.min(options.max, Math.max(this.min, options.initial ?? 1));
  }

  private get min(): number {
    return Math.max(1, this.options.min ?? 1);
  }

  /** The pieces that may be in flight now. */
  current(): number {
    return this.#limit;
  }

  /** A piece finished after `ms` milliseconds. */
  record(ms: number): void {
    const took = Math.max(ms, 0.1);
    this.#shortest = Math.min(this.#shortest, took);
    this.#seen += 1;
    if (this.#seen < 3) return;
    const queued = this.#limit * (1 - this.#shortest / took);
    const alpha = this.options.alpha ?? 3;
    const beta = this.options.beta ?? 6;
    if (queued < alpha) this.#limit = Math.min(this.options.max, this.#limit + 1);
    else if (queued > beta) this.#limit = Math.max(this.min, this.#limit - 1);
  }
}

/** A limit that never moves (`concurrency` fixed). */
export const fixedLimit = (n: number) => ({ current: () => n, record: () => {} });

export type ConcurrencyLimit = Pick<AdaptiveLimit, 'current' | 'record'>;
