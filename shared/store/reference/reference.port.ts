import type { Chain } from '../../domain/chain.js';
import type { Department } from '../../domain/department.js';
import type { EffectWrite } from '../../domain/effects/effect-writes.js';

/** Writes of reference data in a transaction. */
export type ReferenceOp =
  /** takes the next number of a sequence, conditional on having read `expected` (undefined: never used) */
  | Extract<EffectWrite, { op: 'take_serial' }>
  /**
   * writes nothing: the transaction holds only while `version` is still the chain's latest (undefined: a chain
   * stored before its latest version was kept apart, and still without one)
   */
  | { op: 'check_chain_head'; chainId: string; version: number | undefined };

/**
 * Reference data: departments, approval chains, settings (the working calendar, the SLA policy, a job's cursor, a
 * lease) and number sequences. Adapter: `ReferenceDynamo`.
 */
export interface ReferenceStore {
  putDepartment(department: Department): Promise<void>;
  listDepartments(): Promise<Department[]>;
  getDepartment(id: string): Promise<Department | undefined>;

  /** Stores a version, and makes it the chain's latest unless a later one is stored already. */
  putChain(chain: Chain): Promise<void>;
  getChain(id: string, version?: number): Promise<Chain | undefined>;
  /**
   * The number of a chain's latest version, read from a small item (undefined: unknown chain, or one stored before
   * the latest version was kept apart; `getChain(id)` then finds it).
   */
  getLatestChainVersion(id: string): Promise<number | undefined>;
  /** the latest version of each chain */
  listChains(): Promise<Chain[]>;
  /** every version of every chain (projects stay on the version they were registered on) */
  listChainVersions(): Promise<Chain[]>;

  /** The current value of a sequence (undefined: never used). */
  readSerial(sequence: string): Promise<number | undefined>;
  /**
   * Draws the next `count` numbers of a sequence at once (default 1), outside any transaction (one atomic counter
   * update: concurrent callers never collide, each gets its own numbers), and returns the first of them. A number
   * drawn by a change that then fails (or never used) is not given out again: the sequence is unique, not gapless.
   * For sequences that must be gapless use `take_serial` in the change's own transaction.
   */
  drawSerial(sequence: string, count?: number): Promise<number>;

  /** A small named record of operational state (a job's cursor, a lease, a setting) and its revision. */
  getSetting(name: string): Promise<{ value: Record<string, unknown>; revision: number } | undefined>;
  /** Several settings in one read (a setting not stored is absent from the map), each as `getSetting` gives it. */
  getSettings(
    names: readonly string[],
  ): Promise<Map<string, { value: Record<string, unknown>; revision: number }>>;
  /**
   * Writes a setting as the next revision. With `expectedRevision` the write succeeds only if the stored revision
   * is that one (null: only if there is none); returns false when it was not. `ttlSeconds`: DynamoDB deletes it
   * after that long.
   */
  putSetting(
    name: string,
    value: Record<string, unknown>,
    options?: { expectedRevision?: number | null; ttlSeconds?: number },
  ): Promise<boolean>;
  /** Forgets a setting (nothing happens when there is none). */
  deleteSetting(name: string): Promise<void>;
}
