/**
 * Kept only so that work.ts (being changed elsewhere) still compiles: the queries live in item-view.ts,
 * project-view.ts, project-list.ts, project-records.ts and department-views.ts. Import from those; delete this file
 * once nothing imports it.
 */
export { listProjects } from './project-list.js';
