import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ProjectDocument, ProjectDocumentSchema } from '../domain/documents.js';
import { InvalidInputError } from '../domain/errors.js';
import { type Notification, NotificationSchema } from '../domain/notifications.js';
import {
  type AgentAssignment,
  AgentAssignmentSchema,
  type ItemTokens,
  itemKey,
  type Project,
  type ProjectEvent,
  ProjectEventSchema,
  ProjectSchema,
  type ProjectStep,
  ProjectStepSchema,
  type User,
  UserSchema,
} from '../domain/project.js';
import { type Credential, CredentialSchema } from '../domain/user-accounts.js';
import { itemIndexKeys, keys, projectIndexKeys, workKeys } from './keys.js';
import type { OutboxEntry } from './store.port.js';

/** Item ↔ record: key attributes on the way in, the domain's zod schemas on the way out. */

const KEY_ATTRIBUTES = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3PK',
  'GSI3SK',
  'GSI4PK',
  'GSI4SK',
  'WorkPK',
  'WorkSK',
] as const;

export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...item };
  for (const key of KEY_ATTRIBUTES) delete rest[key];
  return rest;
}

export const projectItem = (project: Project): Record<string, unknown> => ({
  ...keys.project(project.projectId),
  ...projectIndexKeys(project),
  ...ProjectSchema.parse(project),
});

export const stepItem = (step: ProjectStep): Record<string, unknown> => ({
  ...keys.item(step.projectId, itemKey(step)),
  ...itemIndexKeys(step),
  ...ProjectStepSchema.parse(step),
});

export const eventItem = (event: ProjectEvent): Record<string, unknown> => ({
  ...keys.event(event.projectId, event.eventId),
  ...ProjectEventSchema.parse(event),
});

/**
 * The events one transaction writes on one project, as one item (under its first event's id, which sorts them where
 * they were), read back as as many events (`eventsOf`): a sweep item that climbs every rung at once writes eight.
 */
export const eventsItem = (events: readonly [ProjectEvent, ...ProjectEvent[]]): Record<string, unknown> =>
  events.length === 1
    ? eventItem(events[0])
    : {
        ...keys.event(events[0].projectId, events[0].eventId),
        // one JSON string: only `eventsOf` reads inside it, and DynamoDB stores a string far more cheaply than a
        // list of maps (see `outboxItem`)
        events: JSON.stringify(events.map((event) => ProjectEventSchema.parse(event))),
      };

export const assignmentItem = (assignment: AgentAssignment): Record<string, unknown> => ({
  ...keys.assignment(assignment.projectId, assignment.assignmentId),
  ...AgentAssignmentSchema.parse(assignment),
});

/**
 * An outbox entry's item. Its sends are one JSON string, not a list of maps: nothing ever reads inside them but the
 * relay, and DynamoDB parses and stores a string far more cheaply than the nested attributes of a dozen signals
 * (DynamoDB Local: about a third of the entry's cost in a storm's transaction; the same bytes on AWS). An entry
 * written before, with its sends as a list, reads as well.
 */
export const outboxItem = (entry: OutboxEntry): Record<string, unknown> => ({
  ...keys.outbox(entry.projectId, entry.outboxId),
  ...workKeys(entry.retryAt, 'outbox', entry.projectId, entry.outboxId),
  ...entry,
  sends: JSON.stringify(entry.sends),
});

export const documentItem = (document: ProjectDocument): Record<string, unknown> => ({
  ...keys.document(document.projectId, document.docId),
  ...ProjectDocumentSchema.parse(document),
});

export const notificationItem = (notification: Notification): Record<string, unknown> => ({
  ...keys.notification(notification.userId, notification.notificationId),
  ...NotificationSchema.parse(notification),
});

export const userItem = (user: User): Record<string, unknown> => ({
  ...keys.user(user.userId),
  GSI1PK: 'USERS',
  GSI1SK: `${user.role}#${user.userId}`,
  // who receives a department's or a role's notifications
  GSI2PK:
    user.role === 'officer' && user.departmentId
      ? `USERS#DEPT#${user.departmentId}`
      : `USERS#ROLE#${user.role}`,
  GSI2SK: user.userId,
  ...UserSchema.parse(user),
});

/** A password hash in its own item, with no index keys: nothing that lists users can ever copy it. */
export const credentialItem = (credential: Credential): Record<string, unknown> => ({
  ...keys.credential(credential.userId),
  ...CredentialSchema.parse(credential),
});

export const parseUser = (item: Record<string, unknown>): User => UserSchema.parse(stripKeys(item));
export const parseCredential = (item: Record<string, unknown>): Credential =>
  CredentialSchema.parse(stripKeys(item));

export const parseDocument = (item: Record<string, unknown>): ProjectDocument =>
  ProjectDocumentSchema.parse(stripKeys(item));
export const parseNotification = (item: Record<string, unknown>): Notification =>
  NotificationSchema.parse(stripKeys(item));

export const parseProject = (item: Record<string, unknown>): Project => ProjectSchema.parse(stripKeys(item));
export const parseStep = (item: Record<string, unknown>): ProjectStep =>
  ProjectStepSchema.parse(stripKeys(item));
export const parseEvent = (item: Record<string, unknown>): ProjectEvent =>
  ProjectEventSchema.parse(stripKeys(item));
/** The events of an event item: one, or those written together (see `eventsItem`; before, as a list of maps). */
export function eventsOf(item: Record<string, unknown>): ProjectEvent[] {
  const together = storedList(item.events);
  return together ? together.map((event) => ProjectEventSchema.parse(event)) : [parseEvent(item)];
}

/** A list kept as one JSON string (or, written before, as a DynamoDB list); undefined when there is none. */
function storedList(stored: unknown): unknown[] | undefined {
  const list: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  return Array.isArray(list) ? list : undefined;
}
export const parseAssignment = (item: Record<string, unknown>): AgentAssignment =>
  AgentAssignmentSchema.parse(stripKeys(item));

export function parseOutbox(item: Record<string, unknown>): OutboxEntry {
  const { projectId, outboxId, createdAt, retryAt, attempts, sends } = item;
  return {
    projectId: String(projectId),
    outboxId: String(outboxId),
    createdAt: String(createdAt),
    retryAt: String(retryAt),
    attempts: Number(attempts ?? 0),
    sends: (storedList(sends) ?? []) as OutboxEntry['sends'],
  };
}

/** The token attribute names on a token item. */
export const TOKEN_FIELDS = {
  task: { token: 'taskToken', execution: 'taskExecution' },
  gate: { token: 'gateToken', execution: 'gateExecution' },
} as const;

export function parseTokens(item: Record<string, unknown>): ItemTokens {
  const tokens: ItemTokens = {};
  for (const kind of ['task', 'gate'] as const) {
    const token = item[TOKEN_FIELDS[kind].token];
    const execution = item[TOKEN_FIELDS[kind].execution];
    if (typeof token === 'string') tokens[kind] = { token, execution: String(execution ?? '') };
  }
  return tokens;
}

/** The key of the token item: `TOKEN#<key>` → `<key>`. */
export const tokenKeyOf = (sk: string): string => sk.slice('TOKEN#'.length);

/** What a refused cursor answers (400): forged, tampered, from another list or signed with a key since replaced. */
export const INVALID_CURSOR_MESSAGE = 'cursor: invalid or expired page cursor; start again without it';
const MAC_BYTES = 16;

/**
 * Page cursors: opaque and tamper-evident. A cursor is `<payload>.<mac>`, both base64url: the payload is the JSON of
 * where the next page starts (DynamoDB's LastEvaluatedKey, or a sort key), the mac an HMAC-SHA256 (cut to 16 bytes)
 * over the payload and the `scope`, the list it belongs to (index, key condition and filter values). So a cursor is
 * accepted only by the list that gave it out, unchanged, under the same key; anything else is a 400
 * ({@link INVALID_CURSOR_MESSAGE}), never a DynamoDB error. The decoded value is also held to the `fields` the list's
 * keys have (every one a string), so even a cursor signed under a leaked key cannot start a query off its keys.
 *
 * @example const codec = new CursorCodec(key); codec.decode(codec.encode(lek, 'GSI1|USERS'), 'GSI1|USERS', ['PK', 'SK', 'GSI1PK', 'GSI1SK'])
 */
export class CursorCodec {
  readonly #key: Uint8Array;

  constructor(key: Uint8Array) {
    if (key.length < 32) throw new Error('a cursor key is 32+ bytes');
    this.#key = key;
  }

  encode(value: Record<string, unknown> | undefined, scope: string): string | undefined {
    if (value === undefined) return undefined;
    const payload = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${payload}.${this.#mac(payload, scope).toString('base64url')}`;
  }

  /** The value of a cursor this list gave out; `undefined` for none; an {@link InvalidInputError} for any other. */
  decode<T extends Record<string, string>>(
    cursor: string | undefined,
    scope: string,
    fields: readonly string[],
  ): T | undefined {
    if (cursor === undefined) return undefined;
    const value = this.#verified(cursor, scope);
    if (
      value === undefined ||
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      Object.keys(value).length !== fields.length ||
      !fields.every((field) => typeof (value as Record<string, unknown>)[field] === 'string')
    ) {
      throw new InvalidInputError('LIST.CURSOR', INVALID_CURSOR_MESSAGE);
    }
    return value as T;
  }

  #verified(cursor: string, scope: string): unknown {
    const [payload, mac, ...rest] = cursor.split('.');
    if (!payload || !mac || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(payload + mac)) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(payload, scope);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }

  #mac(payload: string, scope: string): Buffer {
    return createHmac('sha256', this.#key)
      .update(scope)
      .update('\n')
      .update(payload)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

/**
 * The cursor key of an installation from a secret it already keeps (the local session-token secret, or a key given
 * on AWS): a key of its own (HMAC of the secret and a label), so a cursor is never a token and the other way round.
 */
export function cursorKeyFrom(secret: Uint8Array | string): Uint8Array {
  return createHmac('sha256', secret).update('daiban page cursors v1').digest();
}
