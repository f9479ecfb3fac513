import type { User } from '../../shared/domain/project.js';
import type { TransactItem } from '../../shared/store/dynamo-encoding.js';
import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import type { OutboxEntry } from '../../shared/store/outbox/outbox.port.js';
import { projectRecordOf } from '../../shared/store/project/project.dynamo.js';
import type { ProjectRecord, StoreOp } from '../../shared/store/store.port.js';

/** How long a user record read for a request may serve the next ones (every write to it forgets it at once). */
export const USER_CACHE_MS = 1000;

/** How many projects just registered are kept as written, for their first read (the oldest forgotten first). */
export const CREATED_KEPT = 1000;

/** The projects a transaction writes or checks (claim_code, take_serial and check_chain_head are outside any). */
function projectsTouchedBy(ops: StoreOp[]): Set<string> {
  const ids = new Set<string>();
  for (const op of ops) {
    switch (op.op) {
      case 'create_project':
        ids.add(op.project.projectId);
        break;
      case 'update_project':
      case 'delete_outbox':
      case 'put_token':
      case 'check_token':
        ids.add(op.projectId);
        break;
      case 'put_item':
      case 'check_item':
        ids.add(op.item.projectId);
        break;
      case 'update_item':
        ids.add(op.before.projectId);
        break;
      case 'put_event':
        ids.add(op.event.projectId);
        break;
      case 'put_assignment':
        ids.add(op.assignment.projectId);
        break;
      case 'put_outbox':
        ids.add(op.entry.projectId);
        break;
      case 'claim_code':
      case 'take_serial':
      case 'check_chain_head':
        break;
    }
  }
  return ids;
}

/**
 * The local runtime's store: reads of the same project that overlap share one Query.
 *
 * Why: when the runtime restarts, every in-flight project's execution starts again at once, and each calls a task
 * handler per open step and gate, each reading the whole project (some 80 items) at nearly the same moment. Those
 * reads are most of what DynamoDB Local does during a recovery.
 *
 * Why it is safe: a caller joins a read already under way only if no write to that project has completed since
 * that read began (a completed write takes the read out of the map). So every caller sees every write that
 * completed before it asked, as a read of its own would; writes still under way are concurrent either way. This
 * holds because one process writes the table: the runtime lease keeps a second runtime off it. The callers of a
 * shared read each get their own copy of the record, so nobody sees another's changes to it (a read nobody joined is
 * not copied).
 *
 * A project just registered is read next by its first stage's task handlers: its registration's transaction wrote
 * every item of its working set (a new partition), so the rows it put serve that read, as a Query would return them,
 * until any write to the project (through this store, the only writer) forgets them. One Query fewer per
 * registration.
 *
 * Users are read for every signed-in request (is the token's user still there and enabled?): a user record read
 * serves the requests of the next second, and every write to that user through this store (the only writer, for the
 * same reason) forgets it at once, so a disabled user is refused from the next request on. Requests that ask while
 * the read is under way share it, as reads of a project do (so eight requests at once after a quiet second cost one
 * GetItem, not eight), on the same terms: never a read that began before a write to the user completed.
 */
export class SharedReadsStore extends DynamoDaibanStore {
  readonly #reads = new Map<string, { read: Promise<ProjectRecord | undefined>; readers: number }>();
  readonly #users = new Map<string, { user: User | undefined; until: number }>();
  /** user reads under way, with the writes to the user there had been when each began */
  readonly #userReads = new Map<string, { read: Promise<User | undefined>; writes: number }>();
  /** writes to each user so far: a read that a write overtook is not kept */
  readonly #userWrites = new Map<string, number>();
  /**
   * the working set of each project just registered, as its registration wrote it (its rows in key order, as JSON:
   * each read parses its own copy)
   */
  readonly #created = new Map<string, string>();

  override async getUser(userId: string): Promise<User | undefined> {
    const cached = this.#users.get(userId);
    if (cached && cached.until > Date.now()) return structuredClone(cached.user);
    const writes = this.#userWrites.get(userId) ?? 0;
    // a read under way serves whoever asks meanwhile, unless a write to the user completed since it began
    let pending = this.#userReads.get(userId);
    if (pending?.writes !== writes) {
      const own = { read: super.getUser(userId), writes };
      pending = own;
      this.#userReads.set(userId, own);
      const done = () => {
        if (this.#userReads.get(userId) === own) this.#userReads.delete(userId);
      };
      // before any reader resumes: kept for the next second unless a write overtook it
      own.read.then((user) => {
        done();
        if ((this.#userWrites.get(userId) ?? 0) === writes)
          this.#users.set(userId, { user, until: Date.now() + USER_CACHE_MS });
      }, done);
    }
    return structuredClone(await pending.read);
  }

  override async putUser(user: User): Promise<void> {
    try {
      await super.putUser(user);
    } finally {
      this.#forgetUser(user.userId);
    }
  }

  #forgetUser(userId: string): void {
    this.#userWrites.set(userId, (this.#userWrites.get(userId) ?? 0) + 1);
    this.#users.delete(userId);
    this.#userReads.delete(userId);
  }

  override async loadProject(projectId: string): Promise<ProjectRecord | undefined> {
    const created = this.#created.get(projectId);
    if (created) return projectRecordOf(JSON.parse(created) as Array<Record<string, unknown>>);
    let shared = this.#reads.get(projectId);
    if (!shared) {
      const own = { read: super.loadProject(projectId), readers: 0 };
      shared = own;
      this.#reads.set(projectId, own);
      const forget = () => {
        if (this.#reads.get(projectId) === own) this.#reads.delete(projectId);
      };
      // before any reader resumes: once the read is done, its readers are all known
      own.read.then(forget, forget);
    }
    shared.readers += 1;
    const record = await shared.read;
    // a read nobody joined is its reader's alone; a shared one is copied for each, so none sees another's changes
    return shared.readers === 1 ? record : structuredClone(record);
  }

  override async commit(ops: StoreOp[]): Promise<void> {
    let items: readonly TransactItem[];
    try {
      items = await this.commitItems(ops);
    } finally {
      // Even a failed transaction may have been applied (a lost answer): no later read may join an earlier one.
      for (const projectId of projectsTouchedBy(ops)) this.#forgetReads(projectId);
      for (const op of ops) {
        if (op.op === 'create_user') this.#forgetUser(op.user.userId);
        if (op.op === 'update_user') this.#forgetUser(op.userId);
      }
    }
    this.#keepCreated(ops, items);
  }

  override async deleteOutbox(projectId: string, outboxId: string): Promise<void> {
    try {
      await super.deleteOutbox(projectId, outboxId);
    } finally {
      this.#forgetReads(projectId);
    }
  }

  override async deleteOutboxes(entries: readonly { projectId: string; outboxId: string }[]): Promise<void> {
    try {
      await super.deleteOutboxes(entries);
    } finally {
      for (const entry of entries) this.#forgetReads(entry.projectId);
    }
  }

  override async rescheduleOutbox(entry: OutboxEntry): Promise<void> {
    try {
      await super.rescheduleOutbox(entry);
    } finally {
      this.#forgetReads(entry.projectId);
    }
  }

  override async upgradeLayout(): ReturnType<DynamoDaibanStore['upgradeLayout']> {
    try {
      return await super.upgradeLayout();
    } finally {
      this.#reads.clear();
      this.#created.clear();
    }
  }

  #forgetReads(projectId: string): void {
    this.#reads.delete(projectId);
    this.#created.delete(projectId);
  }

  /**
   * After a registration's transaction: the rows it put in the new project's partition from `OUTBOX#` on, which are
   * all that partition holds there (stored as the document client stores them: no undefined attributes).
   */
  #keepCreated(ops: StoreOp[], items: readonly TransactItem[]): void {
    const created = ops.find((op) => op.op === 'create_project');
    if (!created) return;
    const pk = `PROJECT#${created.project.projectId}`;
    // an update in the new partition (not a registration's transaction, say an import's): left to a Query
    if (items.some((item) => item.Update?.Key?.PK === pk || item.Delete?.Key?.PK === pk)) return;
    const rows = items
      .flatMap((item) => (item.Put ? [item.Put.Item as Record<string, unknown>] : []))
      .filter((row) => row.PK === pk && String(row.SK) >= 'OUTBOX#')
      .sort((a, b) => (String(a.SK) < String(b.SK) ? -1 : 1));
    this.#created.set(created.project.projectId, JSON.stringify(rows));
    if (this.#created.size > CREATED_KEPT) {
      const [oldest] = this.#created.keys();
      if (oldest !== undefined) this.#created.delete(oldest);
    }
  }
}
