import type { EffectWrite } from '../../domain/effects/effect-writes.js';
import type { Notification } from '../../domain/notifications.js';
import type { User } from '../../domain/project.js';
import type { Credential } from '../../domain/user-accounts.js';
import type { Page, PageRequest } from '../page.js';

/** Writes of users, their credentials and notifications in a transaction. */
export type UserOp =
  /** a new user (fails if the id is taken) */
  | { op: 'create_user'; user: User }
  /** changes of an existing user's name or disabled flag (fails if there is no such user) */
  | {
      op: 'update_user';
      userId: string;
      set: { name?: string; disabled?: boolean; tokensValidFrom?: number };
    }
  /** nothing written: the user must exist */
  | { op: 'check_user'; userId: string }
  /**
   * a user's password hash, written only if no hash is stored yet (`absent`), whatever is stored (`any`), or the
   * hash read before is still the one stored (a re-hash at sign-in must not undo a reset made meanwhile)
   */
  | { op: 'put_credential'; credential: Credential; expect: 'absent' | 'any' | { passwordHash: string } }
  | Extract<EffectWrite, { op: 'put_notification' }>;

/** Users, their password hashes (sessions are signed tokens checked against them) and notifications. Adapter: `UserDynamo`. */
export interface UserStore {
  /** Writes a user's attributes as they are (reference data; a local user is created with `create_user`). */
  putUser(user: User): Promise<void>;
  getUser(userId: string): Promise<User | undefined>;
  /** Every user (small lists: the demo, the driver); `listUserPage` pages through them. */
  listUsers(): Promise<User[]>;
  /** By role, then id. */
  listUserPage(page: PageRequest): Promise<Page<User>>;
  /** A local user's password hash (never returned by any other read). */
  getCredential(userId: string): Promise<Credential | undefined>;
  /** The users of a department (officers) or of a role. */
  listUsersOf(audience: { departmentId: string } | { role: User['role'] }): Promise<User[]>;

  /** Newest first. */
  listNotifications(userId: string, page: PageRequest): Promise<Page<Notification>>;
  /**
   * Writes notifications outside any transaction (batches of 25, the unprocessed ones sent again): the sweep's
   * inbox of a run, which no project item depends on (see SweepInbox).
   */
  putNotifications(notifications: readonly Notification[]): Promise<void>;
  /** Marks a notification read; false when the user has no such notification. */
  markNotificationRead(userId: string, notificationId: string): Promise<boolean>;
}
