import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ChannelEvent, NotificationChannels } from './channels.port.js';
import { postRobotText } from './webhook.js';

/** The channels on AWS: an EventBridge bus, group-robot webhooks, and an SNS topic for alerts. */
export class AwsChannels implements NotificationChannels {
  constructor(
    private readonly clients: { eventBridge: EventBridgeClient; sns: SNSClient },
    private readonly settings: { busName: string; alertTopicArn?: string },
  ) {}

  async publish(event: ChannelEvent): Promise<void> {
    const result = await this.clients.eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.settings.busName,
            Source: 'daiban',
            DetailType: event.kind,
            Detail: JSON.stringify(event),
          },
        ],
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0) {
      throw new Error(`EventBridge refused the event: ${result.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
    }
  }

  async postWebhook(url: string, text: string): Promise<void> {
    await postRobotText(url, text);
  }

  async alert(event: ChannelEvent): Promise<void> {
    if (!this.settings.alertTopicArn) return;
    await this.clients.sns.send(
      new PublishCommand({
        TopicArn: this.settings.alertTopicArn,
        Subject: event.title.slice(0, 100),
        Message: `${event.title}\n${event.message}`,
      }),
    );
  }
}
