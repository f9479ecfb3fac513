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

export const assignmentItem = (assignment: AgentAssignment): Record<string, unknown> => ({
  ...keys.assignment(assignment.projectId, assignment.assignmentId),
  ...AgentAssignmentSchema.parse(assignment),
});

export const outboxItem = (entry: OutboxEntry): Record<string, unknown> => ({
  ...keys.outbox(entry.projectId, entry.outboxId),
  ...workKeys(entry.retryAt, 'outbox', entry.projectId, entry.outboxId),
  ...entry,
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
    sends: Array.isArray(sends) ? (sends as OutboxEntry['sends']) : [],
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

/** Cursors are opaque to clients: base64url JSON of where the next page starts. */
export function encodeCursor(value: unknown): string | undefined {
  return value === undefined ? undefined : Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const entries = Object.entries(value);
      if (entries.length <= 8 && entries.every(([, v]) => typeof v === 'string' && v.length <= 400)) {
        return value as T;
      }
    }
  } catch {
    // fall through
  }
  throw new InvalidInputError(
    'LIST.CURSOR',
    'the cursor is not one this API gave out; start from the first page',
  );
}
