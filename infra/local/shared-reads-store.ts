import { DynamoDaibanStore } from '../../shared/store/dynamo-store.js';
import type { ProjectRecord, StoreOp } from '../../shared/store/store.port.js';

/** The projects a transaction writes or checks (claim_code and take_serial write outside any project). */
function projectsTouchedBy(ops: StoreOp[]): Set<string> {
  const ids = new Set<string>();
  for (const op of ops) {
    switch (op.op) {
      case 'create_project':
        ids.add(op.project.projectId);
        break;
      case 'update_project':
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
 * holds because one process writes the table: the runtime lease keeps a second runtime off it. Each caller gets its
 * own copy of the record, so nobody sees another's changes to it.
 */
export class SharedReadsStore extends DynamoDaibanStore {
  readonly #reads = new Map<string, Promise<ProjectRecord | undefined>>();

  override async loadProject(projectId: string): Promise<ProjectRecord | undefined> {
    let read = this.#reads.get(projectId);
    if (!read) {
      const own = super.loadProject(projectId);
      read = own;
      this.#reads.set(projectId, own);
      const forget = () => {
        if (this.#reads.get(projectId) === own) this.#reads.delete(projectId);
      };
      own.then(forget, forget);
    }
    return structuredClone(await read);
  }

  override async commit(ops: StoreOp[]): Promise<void> {
    try {
      await super.commit(ops);
    } finally {
      // Even a failed transaction may have been applied (a lost answer): no later read may join an earlier one.
      for (const projectId of projectsTouchedBy(ops)) this.#reads.delete(projectId);
    }
  }
}
