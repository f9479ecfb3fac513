import type { ChannelEvent, NotificationChannels } from './channels.port.js';
import { postRobotText } from './webhook.js';

/**
 * The local runtime's channels: the bus is in the process (the last events are kept, e.g. for tests and the
 * demo), webhooks are real HTTP posts, and alerts are only logged.
 */
export class LocalChannels implements NotificationChannels {
  readonly events: ChannelEvent[] = [];
  constructor(
    private readonly log: (line: string) => void = () => {},
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly keep = 1000,
  ) {}

  async publish(event: ChannelEvent): Promise<void> {
    this.events.push(event);
    if (this.events.length > this.keep) this.events.splice(0, this.events.length - this.keep);
  }

  async postWebhook(url: string, text: string): Promise<void> {
    await postRobotText(url, text, this.fetchImpl);
  }

  async alert(event: ChannelEvent): Promise<void> {
    this.log(`alert: ${event.title}: ${event.message}`);
  }
}
