import type { Department } from '../domain/department.js';
import { type NoticeNumbering, noticeSequenceAt } from '../domain/effects/notice-effects.js';
import type { User } from '../domain/project.js';
import type { DaibanStore } from '../store/store.port.js';
import { drawTogether } from './serials-together.js';

/** How long a process trusts what it read of the reference data (as `LiveSettings` does the settings). */
const MAX_AGE_MS = 1000;

type Entry<T> = { value: Promise<T>; readAt: number };

/**
 * Departments and users as a process last read them, for at most a second: the names and phone numbers a project's
 * progress page shows change rarely, while a page is read all the time. Reads that overlap share one request, and a
 * failed read is not kept. One cache per store (per process on AWS, per runtime locally).
 */
class ReferenceCache {
  #departments: Entry<Department[]> | undefined;
  readonly #users = new Map<string, Entry<User | undefined>>();
  readonly #audiences = new Map<string, Entry<User[]>>();

  constructor(private readonly store: DaibanStore) {}

  departments(): Promise<Department[]> {
    this.#departments = this.#fresh(this.#departments, () => this.store.listDepartments());
    return this.#departments.value;
  }

  /** One department, from the cached list (one read serves every department a use case names). */
  async department(id: string): Promise<Department | undefined> {
    return (await this.departments()).find((d) => d.id === id);
  }

  /** The users of a department or a role (whom a notice tells), as the process last read them. */
  usersOf(audience: { departmentId: string } | { role: User['role'] }): Promise<User[]> {
    const key = 'departmentId' in audience ? `dept:${audience.departmentId}` : `role:${audience.role}`;
    const entry = this.#fresh(this.#audiences.get(key), () => this.store.listUsersOf(audience));
    this.#audiences.set(key, entry);
    return entry.value;
  }

  /**
   * The year's 一次性告知书 numbers as they stand at `now` (the last one taken): never kept, since the transaction
   * that takes the next ones is conditional on this very number.
   */
  async noticeNumbering(now: Date): Promise<NoticeNumbering> {
    const { year, sequence } = noticeSequenceAt(now);
    return { year, sequence, previous: await this.store.readSerial(sequence), taken: 0 };
  }

  /**
   * The next number of a sequence (an 超时默认通知单's, say), drawn together with the others asked for at the same
   * moment: one counter update for them all (see {@link drawTogether}). Never cached: each number is taken once.
   */
  drawSerial(sequence: string): Promise<number> {
    return drawTogether(this.store, sequence);
  }

  /** Forget the users read (after this process changed one): the next read goes to the store. */
  forgetUsers(): void {
    this.#users.clear();
    this.#audiences.clear();
  }

  user(userId: string): Promise<User | undefined> {
    const entry = this.#fresh(this.#users.get(userId), () => this.store.getUser(userId));
    this.#users.set(userId, entry);
    // A cache of the users a process has shown lately, not of every user: old entries go.
    if (this.#users.size > 1000) {
      const oldest = this.#users.keys().next().value;
      if (oldest !== undefined) this.#users.delete(oldest);
    }
    return entry.value;
  }

  #fresh<T>(entry: Entry<T> | undefined, read: () => Promise<T>): Entry<T> {
    const now = Date.now();
    if (entry && now - entry.readAt < MAX_AGE_MS) return entry;
    const fresh: Entry<T> = { value: read(), readAt: now };
    fresh.value.catch(() => {
      // not kept: the next caller reads again
      fresh.readAt = Number.NEGATIVE_INFINITY;
    });
    return fresh;
  }
}

const caches = new WeakMap<DaibanStore, ReferenceCache>();

/** The reference cache of a store. @example await referenceData(ctx.store).departments() */
export function referenceData(store: DaibanStore): ReferenceCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new ReferenceCache(store);
    caches.set(store, cache);
  }
  return cache;
}
