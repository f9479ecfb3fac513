import {
  driveOverHttp,
  type ProjectView,
  viewProject as viewProjectOverHttp,
} from '../../infra/local/drive-over-http.js';
import type { LocalSystem } from '../../infra/local/system.js';
import type { ApiClient } from './local-system.js';

export { allSteps, officerOf, type ProjectView, type StepView } from '../../infra/local/drive-over-http.js';

export const viewProject = (api: ApiClient, projectId: string, as = 'leader-zhang'): Promise<ProjectView> =>
  viewProjectOverHttp(api, projectId, as);

/** Moves a project along through the HTTP API alone (see `driveOverHttp`), waiting for the engine between rounds. */
export function driveProject(
  system: LocalSystem,
  api: ApiClient,
  projectId: string,
  options: { stop?: (view: ProjectView) => boolean; maxRounds?: number; leave?: readonly string[] } = {},
): Promise<ProjectView> {
  return driveOverHttp(api, () => system.engine.settled(), projectId, options);
}

/** Every event of a project's timeline, oldest first, page after page. */
export async function allEvents<T = any>(
  api: ApiClient,
  projectId: string,
  as = 'leader-zhang',
): Promise<T[]> {
  const events: T[] = [];
  let cursor: string | undefined;
  do {
    const res = await api.get(
      `/projects/${projectId}/events?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      as,
    );
    if (res.status !== 200) throw new Error(`GET events: ${res.status} ${JSON.stringify(res.body)}`);
    events.push(...(res.body.events as T[]));
    cursor = res.body.cursor;
  } while (cursor);
  return events;
}
