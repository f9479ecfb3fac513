import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Notification } from '../../domain/notifications.js';
import type { User } from '../../domain/project.js';
import type { Credential } from '../../domain/user-accounts.js';
import {
  notificationItem,
  parseCredential,
  parseNotification,
  parseUser,
  userItem,
} from '../dynamo-codec.js';
import { type DynamoTable, eq } from '../dynamo-table.js';
import { keys } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { UserStore } from './user.port.js';

/** DynamoDB adapter of {@link UserStore}: a user's items (user, credential, notifications) share `USER#<id>`. */
export class UserDynamo implements UserStore {
  constructor(private readonly table: DynamoTable) {}

  async putUser(user: User): Promise<void> {
    await this.table.put(userItem(user));
  }

  async listUsersOf(audience: { departmentId: string } | { role: User['role'] }): Promise<User[]> {
    const pk =
      'departmentId' in audience ? `USERS#DEPT#${audience.departmentId}` : `USERS#ROLE#${audience.role}`;
    const items = await this.table.queryAll({ IndexName: 'GSI2', ...eq('GSI2PK', pk) });
    return items.map(parseUser);
  }

  async getUser(userId: string): Promise<User | undefined> {
    const item = await this.table.get(keys.user(userId));
    return item ? parseUser(item) : undefined;
  }

  async listUsers(): Promise<User[]> {
    const items = await this.table.queryAll({ IndexName: 'GSI1', ...eq('GSI1PK', 'USERS') });
    return items.map(parseUser);
  }

  async listUserPage(page: PageRequest): Promise<Page<User>> {
    return this.table.queryPage({ IndexName: 'GSI1', ...eq('GSI1PK', 'USERS') }, page, parseUser);
  }

  async getCredential(userId: string): Promise<Credential | undefined> {
    const item = await this.table.get(keys.credential(userId));
    return item ? parseCredential(item) : undefined;
  }

  async listNotifications(userId: string, page: PageRequest): Promise<Page<Notification>> {
    return this.table.queryPage(
      {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': `USER#${userId}`, ':prefix': 'NOTIF#' },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      page,
      parseNotification,
    );
  }

  async putNotifications(notifications: readonly Notification[]): Promise<void> {
    await this.table.batchPut(notifications.map(notificationItem));
  }

  markNotificationRead(userId: string, notificationId: string): Promise<boolean> {
    return this.table.sendConditional(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.notification(userId, notificationId),
        UpdateExpression: 'SET #read = :true',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#read': 'read' },
        ExpressionAttributeValues: { ':true': true },
      }),
    );
  }
}
