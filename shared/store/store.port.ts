import type { Chain } from '../domain/chain.js';
import type { Department } from '../domain/department.js';
import type { AgentAssignment, Project, ProjectEvent, ProjectStep, User } from '../domain/project.js';
import type { ProjectStatus } from '../domain/step-status.js';

/** Counter increments and field changes applied to the project item inside a step transition. */
export type ProjectChange = {
  add?: Partial<Record<'stepsClosed' | 'decisions' | 'supplements', number>>;
  set?: Partial<
    Pick<Project, 'status' | 'returnedAt' | 'completedAt' | 'executionEndedAt' | 'currentStageIndex'>
  >;
  /** the transition only applies while the project has this status */
  expectStatus?: ProjectStatus;
};

/** One atomic step transition: the step (conditional on its version and status), its event, the project. */
export type StepTransition = {
  before: ProjectStep;
  after: ProjectStep;
  event: ProjectEvent;
  project?: ProjectChange;
};

/**
 * What the application needs from storage. DynamoDB is the source of truth (DESIGN.md decision 3).
 * Adapter: `DynamoDaibanStore`.
 */
export interface DaibanStore {
  putDepartment(department: Department): Promise<void>;
  listDepartments(): Promise<Department[]>;
  getDepartment(id: string): Promise<Department | undefined>;

  putChain(chain: Chain): Promise<void>;
  getChain(id: string, version?: number): Promise<Chain | undefined>;
  /** the latest version of each chain */
  listChains(): Promise<Chain[]>;
  /** every version of every chain (projects stay on the version they were registered on) */
  listChainVersions(): Promise<Chain[]>;

  putUser(user: User): Promise<void>;
  getUser(userId: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;

  /** Atomically takes the next number of a named sequence (e.g. project-code serials per year). */
  nextSerial(sequence: string): Promise<number>;

  /** Writes a new project with all its steps, its first events and agent assignment; the project item lands last. */
  createProject(input: {
    project: Project;
    steps: ProjectStep[];
    events: ProjectEvent[];
    assignment: AgentAssignment;
  }): Promise<void>;
  getProject(projectId: string): Promise<Project | undefined>;
  listProjects(filter: {
    status?: ProjectStatus;
    agentId?: string;
    enterpriseId?: string;
  }): Promise<Project[]>;
  getStep(projectId: string, stepId: string): Promise<ProjectStep | undefined>;
  listSteps(projectId: string): Promise<ProjectStep[]>;
  listEvents(projectId: string): Promise<ProjectEvent[]>;
  listAssignments(projectId: string): Promise<AgentAssignment[]>;

  /**
   * Applies a transition atomically and returns the step as saved (its version moved on by one);
   * throws ConflictError if the step moved on meanwhile.
   */
  transitionStep(transition: StepTransition): Promise<ProjectStep>;
  /** Records the callback token the engine is waiting on for a step's task or its prerequisite gate. */
  setTaskToken(projectId: string, stepId: string, kind: 'step' | 'gate', token: string): Promise<void>;
  getTaskToken(projectId: string, stepId: string, kind: 'step' | 'gate'): Promise<string | undefined>;
  /** Hands the project to another agent: project item, assignment record and event in one transaction. */
  reassignAgent(input: { project: Project; assignment: AgentAssignment; event: ProjectEvent }): Promise<void>;
  /** Writes an event that changes no other item (e.g. the execution finished). */
  appendEvent(event: ProjectEvent, project?: ProjectChange): Promise<void>;

  /** Steps open at a department (ready, in review or waiting for a supplement), oldest first. */
  listOpenStepsOfDepartment(
    departmentId: string,
    status?: 'ready' | 'in_review' | 'supplement_requested',
  ): Promise<ProjectStep[]>;
}
