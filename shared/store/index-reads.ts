import { DepartmentSchema } from '../domain/department.js';
import {
  AgentProjectRowSchema,
  FlaggedItemSchema,
  InboxItemSchema,
  LeadProjectRowSchema,
  ProjectRowSchema,
} from '../domain/list-rows.js';
import { UserSchema } from '../domain/project.js';

const fieldsOf = (schema: { shape: object }): string[] => Object.keys(schema.shape);

/** A user as lists read it: whole but for when their tokens are valid from (read by sign-in from the table alone). */
const USER_INDEX_FIELDS = fieldsOf(UserSchema).filter((field) => field !== 'tokensValidFrom');

/** The attributes of a batch its list filters on (a filter on an index reads only what the index holds). */
export const BATCH_FILTER_ATTRIBUTES = ['agentId', 'departmentId'] as const;

/**
 * What each query on an index reads of its rows besides the keys. An index projects exactly the union of its
 * queries' reads (table.ts); a test holds the two together, so a field added to a row schema and not projected fails
 * it. Lists read whole from the table (meetings, batches, complaints: a page of keys, then one batch read) read
 * nothing of the index but its keys.
 */
export const IndexReads = {
  GSI1: {
    'departments (whole)': fieldsOf(DepartmentSchema),
    'chain versions (the chain, whole)': ['chain'],
    'users (whole)': USER_INDEX_FIELDS,
    'projects by status': fieldsOf(ProjectRowSchema),
    "a department's inbox": fieldsOf(InboxItemSchema),
    'batches: filtered by agent or department, then read whole': [...BATCH_FILTER_ATTRIBUTES],
    'meetings, complaints: keys, then read whole': [],
  },
  GSI2: {
    "users of a department or a role (notices' audiences)": USER_INDEX_FIELDS,
    'projects by agent (with the workbench summary)': fieldsOf(AgentProjectRowSchema),
    'flagged due dates': fieldsOf(FlaggedItemSchema),
    "a complainant's complaints: keys, then read whole": [],
  },
  GSI3: {
    'projects by enterprise': fieldsOf(ProjectRowSchema),
    'complaints about a department: keys, then read whole': [],
  },
  GSI4: {
    "projects by their stage's lead department": fieldsOf(LeadProjectRowSchema),
  },
} as const satisfies Record<string, Record<string, readonly string[]>>;
