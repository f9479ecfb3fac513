import { robotTextBody } from './channels.port.js';

/** Posts to a group robot; anything but a 2xx (or an errcode other than 0 in the answer) is a failure to retry. */
export async function postRobotText(
  url: string,
  text: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(robotTextBody(text)),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
  const answer = (await response.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
  if (answer.errcode !== undefined && answer.errcode !== 0) {
    throw new Error(`the webhook refused the message: ${answer.errcode} ${answer.errmsg ?? ''}`);
  }
}
