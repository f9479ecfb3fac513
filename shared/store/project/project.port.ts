import type { ProjectDocument } from '../../domain/documents.js';
import type { EffectWrite } from '../../domain/effects/effect-writes.js';
import type { AgentProjectRow, InboxItem, LeadProjectRow, ProjectRow } from '../../domain/list-rows.js';
import type {
  AgentAssignment,
  ItemTokens,
  Project,
  ProjectEvent,
  ProjectStep,
} from '../../domain/project.js';
import type { ProjectStatus, StepStatus } from '../../domain/step-status.js';
import type { OutboxEntry } from '../outbox/outbox.port.js';
import type { Page, PageRequest } from '../page.js';

/**
 * Writes of a project's records in a transaction. Each names the condition it is written under. Those a domain change
 * states (`EffectWrite`, shared/domain/effects/effect-writes.ts) are its own shapes:
 * - `update_project`: counters and fields of the project, under `change.expect`; with `work`, the workbench's summary
 *   too (and `workSeq` one up); `touch: false` leaves `updatedAt` as it is (only the summary changes);
 *   `expectWorkSeq`: only while `workSeq` is still this (0: never written), i.e. no item of the project was written
 *   since it was read; `addTokenSeq`: `tokenSeq` one up (a callback token of the project stored in the same
 *   transaction); `expectTokenSeq`: only while `tokenSeq` is still this (0: never), i.e. no token stored since it was read
 * - `put_item`: a new step or part item (registration, or the first change to one derived from the chain until then)
 * - `update_item`: a step or part, conditional on its version and status; its version moves on by one
 * - `check_item`: nothing written: the item must still have this version (`unwritten`: must still not be written at
 *   all)
 * - `put_token`: stores a callback token on the item's token record
 * - `check_token`: nothing written: the item's token of this kind must still be this one (or still absent)
 * - `put_event`, `put_document`
 */
export type ProjectOp =
  | Extract<
      EffectWrite,
      {
        op:
          | 'update_project'
          | 'put_item'
          | 'update_item'
          | 'check_item'
          | 'put_token'
          | 'check_token'
          | 'put_event'
          | 'put_document';
      }
    >
  /** a new project (fails if the id is taken) */
  | { op: 'create_project'; project: Project }
  | { op: 'put_assignment'; assignment: AgentAssignment }
  /** the project code is unique: a second project with it fails */
  | { op: 'claim_code'; code: string; projectId: string };

/**
 * A project's working set, one read: the project, its steps and parts, their task tokens, its agent handovers, and
 * its outbox entries not cleared yet.
 */
export type ProjectRecord = {
  project: Project;
  items: ProjectStep[];
  tokens: Map<string, ItemTokens>;
  assignments: AgentAssignment[];
  /** the project's outbox entries not cleared yet (usually none; see `relay` and `handleCallbackTasks`) */
  outbox: OutboxEntry[];
};

export type ProjectFilter = {
  status?: ProjectStatus;
  agentId?: string;
  enterpriseId?: string;
};

/** A project, its steps, parts, tokens, events, handovers and documents. Adapter: `ProjectDynamo`. */
export interface ProjectStore {
  /** The project with its steps, parts, tokens, handovers and outbox entries (one consistent read), or undefined. */
  loadProject(projectId: string): Promise<ProjectRecord | undefined>;
  getProject(projectId: string): Promise<Project | undefined>;
  /** Steps and parts of several projects in batch reads (a lead department's stage view); missing ones left out. */
  getItems(keys: ReadonlyArray<{ projectId: string; itemKey: string }>): Promise<ProjectStep[]>;
  /** Several projects in one batch read (a page of an inbox names them); missing ones are left out. */
  getProjects(projectIds: readonly string[]): Promise<Project[]>;
  /** The project holding a project code (项目代码). */
  findProjectIdByCode(code: string): Promise<string | undefined>;
  /** Newest first, as list rows (what the index holds: `ProjectRow`); `getProject(s)` reads a whole project. */
  listProjects(filter: ProjectFilter, page: PageRequest): Promise<Page<ProjectRow>>;
  /**
   * An agent's projects, newest first, as their agent index rows (with the workbench's summary): the same pages
   * and cursors as `listProjects({ agentId })`.
   */
  listAgentProjects(agentId: string, page: PageRequest): Promise<Page<AgentProjectRow>>;
  /** In-flight projects whose current stage this department leads (牵头部门), newest first. */
  listProjectsLedBy(departmentId: string, page: PageRequest): Promise<Page<LeadProjectRow>>;
  /** Oldest first. */
  listEvents(projectId: string, page: PageRequest): Promise<Page<ProjectEvent>>;
  listAssignments(projectId: string): Promise<AgentAssignment[]>;
  /**
   * Steps and parts open at a department (ready, in review or waiting for a supplement), oldest change first, as
   * inbox rows (`getItems` reads whole steps).
   */
  listOpenItemsOfDepartment(
    departmentId: string,
    filter: { status?: Extract<StepStatus, 'ready' | 'in_review' | 'supplement_requested'> },
    page: PageRequest,
  ): Promise<Page<InboxItem>>;

  listDocuments(projectId: string): Promise<ProjectDocument[]>;
  getDocument(projectId: string, docId: string): Promise<ProjectDocument | undefined>;
}
