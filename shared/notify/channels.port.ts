import type { ChannelNote } from '../domain/effects/effect-writes.js';

/**
 * Where notifications go besides the in-app inbox (which is always written, in the change's own transaction):
 * the event bus (EventBridge on AWS, in-process locally), a group robot's webhook per department (the JSON
 * WeCom and DingTalk robots accept), and SNS on AWS. Deliveries go through the outbox: a channel that fails is
 * tried again by the scheduled job and never holds up the change or the sweep.
 */
export type ChannelEvent = ChannelNote;

export interface NotificationChannels {
  /** Puts the event on the bus (`detail-type` is the kind). */
  publish(event: ChannelEvent): Promise<void>;
  /** Posts a text message to a group robot's webhook (WeCom / DingTalk format). */
  postWebhook(url: string, text: string): Promise<void>;
  /** Alerts people outside the system (SNS on AWS; nothing locally). */
  alert(event: ChannelEvent): Promise<void>;
}

/** The body WeCom and DingTalk group robots both accept for a text message. */
export const robotTextBody = (text: string) => ({ msgtype: 'text', text: { content: text } });
