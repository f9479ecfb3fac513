import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SWEEP_REQUESTED, type SweepJobStarter } from '../../shared/app/sweep-requests.js';

/** The event source of Daiban's own events on its bus. */
export const DAIBAN_SOURCE = 'daiban';

/**
 * Starts the scheduled job's function for a run recorded as queued, on AWS: an event on the stage's bus
 * (`daiban` / `SLA sweep requested`, the run id in its detail), which a rule of the stateless stack sends to the job
 * function (an asynchronous invocation: the API answers at once). The API function may already put events on that
 * bus (its notices), so this asks for no grant of its own.
 */
export function eventBridgeSweepStarter(client: EventBridgeClient, busName: string): SweepJobStarter {
  return async (runId) => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: busName,
            Source: DAIBAN_SOURCE,
            DetailType: SWEEP_REQUESTED,
            Detail: JSON.stringify({ runId }),
          },
        ],
      }),
    );
    if ((result.FailedEntryCount ?? 0) > 0)
      throw new Error(`EventBridge refused the event: ${result.Entries?.[0]?.ErrorCode ?? 'unknown'}`);
  };
}
