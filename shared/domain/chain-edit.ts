import { z } from 'zod';
import type { Chain, ChainInput, StepDefinitionInput } from './chain.js';

/**
 * What an admin changes in the table of steps: per existing step its name, department, limits, prerequisites and
 * stage (or that it goes), and new steps with the same few fields. Applied to the version being edited, it gives
 * the next version's input, to preview and publish like any other (validation judges the result, not this).
 */

const text = z.string().trim().max(200);
/** An empty cell is no limit (a milestone's); otherwise whole working days. */
const days = z
  .string()
  .trim()
  .max(4)
  .transform((value, ctx) => {
    if (value === '') return null;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 365) {
      ctx.addIssue({ code: 'custom', message: `时限“${value}”应为 0–365 的整数个工作日，或留空` });
      return z.NEVER;
    }
    return n;
  });
/** `16, 23` or `16 23` or `16、23`. */
const prerequisiteList = z
  .string()
  .max(400)
  .transform((value) => value.split(/[\s,，、;；]+/).filter((id) => id.length > 0));

export const StepRowSchema = z.strictObject({
  id: z.string().trim().max(40),
  stageId: text,
  name: text,
  departmentId: text,
  promisedDays: days,
  legalDays: days,
  prerequisites: prerequisiteList,
});
export type StepRow = z.infer<typeof StepRowSchema>;

/** A step as its row of the table shows it, each field as the text of its input (a milestone's limits blank). */
export function stepRowOf(stage: Chain['stages'][number], step: Chain['stages'][number]['steps'][number]) {
  return {
    id: step.id,
    stageId: stage.id,
    name: step.name,
    departmentId: step.departmentId ?? '',
    promisedDays: step.promisedDays === null ? '' : String(step.promisedDays),
    legalDays: step.legalDays === null ? '' : String(step.legalDays),
    prerequisites: step.prerequisites.join(', '),
  } satisfies Record<keyof StepRow, string>;
}

export const ChainEditSchema = z.strictObject({
  version: z.coerce.number().int().min(1).max(1_000_000),
  /** rows of existing steps, by their id */
  rows: z.array(StepRowSchema).max(200),
  /** ids of the steps to remove */
  remove: z.array(z.string().max(40)).max(200),
  /** rows for new steps; a row without an id is left out */
  added: z.array(StepRowSchema).max(20),
});
export type ChainEdit = z.infer<typeof ChainEditSchema>;

/** What a new step carries besides the table's fields, until the admin writes its six public items (六公开). */
function newStep(row: StepRow): StepDefinitionInput {
  return {
    id: row.id,
    name: row.name || row.id,
    nameEn: row.name || row.id,
    ...(row.departmentId === '' && row.promisedDays === null ? { kind: 'milestone' as const } : {}),
    departmentId: row.departmentId === '' ? null : row.departmentId,
    promisedDays: row.promisedDays,
    legalDays: row.legalDays,
    prerequisites: row.prerequisites,
    serviceContent: row.name || row.id,
    procedure: ['受理', '审查', '决定', '送达'],
    fee: { basis: '不收费', standard: '不收费' },
  };
}

/**
 * The next version's input: `base` with the table's changes. Steps keep every field the table does not show; a
 * step moved to another stage goes to its end; a row naming a stage the chain lacks leaves the step where it was.
 */
export function applyChainEdit(base: Chain, edit: ChainEdit): ChainInput {
  const rows = new Map(edit.rows.map((r) => [r.id, r]));
  const removed = new Set(edit.remove);
  const stageIds = new Set(base.stages.map((s) => s.id));
  const moved: Array<{ stageId: string; step: StepDefinitionInput }> = [];
  const stages = base.stages.map((stage) => ({
    ...stage,
    steps: stage.steps.flatMap((step): StepDefinitionInput[] => {
      if (removed.has(step.id)) return [];
      const row = rows.get(step.id);
      if (!row) return [step];
      const changed: StepDefinitionInput = {
        ...step,
        name: row.name || step.name,
        departmentId: row.departmentId === '' ? null : row.departmentId,
        promisedDays: row.promisedDays,
        legalDays: row.legalDays,
        prerequisites: row.prerequisites,
      };
      if (row.stageId !== stage.id && stageIds.has(row.stageId)) {
        moved.push({ stageId: row.stageId, step: changed });
        return [];
      }
      return [changed];
    }),
  }));
  for (const row of edit.added) {
    if (row.id === '') continue;
    const stageId = stageIds.has(row.stageId) ? row.stageId : (base.stages.at(-1)?.id ?? '');
    moved.push({ stageId, step: newStep(row) });
  }
  for (const { stageId, step } of moved) stages.find((s) => s.id === stageId)?.steps.push(step);
  return { ...base, version: edit.version, stages };
}
