import type { Chain, Stage, StepDefinition } from './chain.js';

/**
 * What a new version of a chain changes against the version in force: steps added, removed and changed (their
 * stage, department, limits, prerequisites, kind, applicability, holder, policy, materials, joint-review parts),
 * stages added, removed or given another lead, and the chain's own target. Steps and stages are matched by id.
 */

export type FieldChange = { field: string; before: string; after: string };
export type StepRef = { stepId: string; name: string; stageId: string };
export type StepChange = StepRef & { changes: FieldChange[] };

export type ChainDiff = {
  /** the version compared against; undefined for a chain not yet published */
  baseVersion?: number;
  added: StepRef[];
  removed: StepRef[];
  changed: StepChange[];
  stages: { added: string[]; removed: string[]; changed: Array<{ stageId: string; changes: FieldChange[] }> };
  chain: FieldChange[];
};

/** Field names as an author reads them in Chinese. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  stage: '所在阶段',
  name: '名称',
  kind: '类型',
  departmentId: '办理部门',
  promisedDays: '承诺时限',
  legalDays: '法定时限',
  prerequisites: '前置步骤',
  applicability: '适用条件',
  heldBy: '上级办理规则',
  policy: '办理规则',
  materials: '申请材料',
  parts: '联合审查部分',
  leadDepartmentId: '牵头部门',
  targetWorkingDays: '目标工作日',
  order: '阶段顺序',
};

const show = (value: unknown): string => {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ') || '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/** A canonical text of a value: objects with their keys sorted, so the order of fields is no change. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function compare(changes: FieldChange[], field: string, before: unknown, after: unknown): void {
  if (canonical(before) !== canonical(after))
    changes.push({ field, before: show(before), after: show(after) });
}

type Located = { step: StepDefinition; stage: Stage };

function stepsOf(chain: Chain): Map<string, Located> {
  const steps = new Map<string, Located>();
  for (const stage of chain.stages)
    for (const step of stage.steps) if (!steps.has(step.id)) steps.set(step.id, { step, stage });
  return steps;
}

const refOf = ({ step, stage }: Located): StepRef => ({
  stepId: step.id,
  name: step.name,
  stageId: stage.id,
});

function stepChanges(before: Located, after: Located): FieldChange[] {
  const changes: FieldChange[] = [];
  const [a, b] = [before.step, after.step];
  compare(changes, 'stage', before.stage.id, after.stage.id);
  compare(changes, 'name', a.name, b.name);
  compare(changes, 'kind', a.kind, b.kind);
  compare(changes, 'departmentId', a.departmentId, b.departmentId);
  compare(changes, 'promisedDays', a.promisedDays, b.promisedDays);
  compare(changes, 'legalDays', a.legalDays, b.legalDays);
  compare(changes, 'prerequisites', [...a.prerequisites].sort(), [...b.prerequisites].sort());
  compare(changes, 'applicability', a.applicability, b.applicability);
  compare(changes, 'heldBy', a.heldBy, b.heldBy);
  compare(changes, 'policy', a.policy, b.policy);
  compare(
    changes,
    'materials',
    a.materials.map((m) => m.id),
    b.materials.map((m) => m.id),
  );
  if (!changes.some((c) => c.field === 'materials')) compare(changes, 'materials', a.materials, b.materials);
  compare(changes, 'parts', a.parts, b.parts);
  return changes;
}

/** The differences of `next` from `base` (the version in force); with no base, every step is added. */
export function diffChains(base: Chain | undefined, next: Chain): ChainDiff {
  const before = base ? stepsOf(base) : new Map<string, Located>();
  const after = stepsOf(next);
  const added = [...after.values()].filter((l) => !before.has(l.step.id)).map(refOf);
  const removed = [...before.values()].filter((l) => !after.has(l.step.id)).map(refOf);
  const changed: StepChange[] = [];
  for (const located of after.values()) {
    const old = before.get(located.step.id);
    if (!old) continue;
    const changes = stepChanges(old, located);
    if (changes.length > 0) changed.push({ ...refOf(located), changes });
  }
  const oldStages = new Map((base?.stages ?? []).map((s, i) => [s.id, { stage: s, index: i }]));
  const newStages = new Map(next.stages.map((s, i) => [s.id, { stage: s, index: i }]));
  const stageChanges: ChainDiff['stages']['changed'] = [];
  for (const [id, { stage, index }] of newStages) {
    const old = oldStages.get(id);
    if (!old) continue;
    const changes: FieldChange[] = [];
    compare(changes, 'order', old.index + 1, index + 1);
    compare(changes, 'name', old.stage.name, stage.name);
    compare(changes, 'leadDepartmentId', old.stage.leadDepartmentId, stage.leadDepartmentId);
    if (changes.length > 0) stageChanges.push({ stageId: id, changes });
  }
  const chain: FieldChange[] = [];
  if (base) {
    compare(chain, 'name', base.name, next.name);
    compare(chain, 'targetWorkingDays', base.targetWorkingDays, next.targetWorkingDays);
  }
  return {
    ...(base ? { baseVersion: base.version } : {}),
    added,
    removed,
    changed,
    stages: {
      added: [...newStages.keys()].filter((id) => !oldStages.has(id)),
      removed: [...oldStages.keys()].filter((id) => !newStages.has(id)),
      changed: stageChanges,
    },
    chain,
  };
}

/** Nothing differs. */
export const isSameChain = (diff: ChainDiff): boolean =>
  diff.added.length + diff.removed.length + diff.changed.length + diff.chain.length === 0 &&
  diff.stages.added.length + diff.stages.removed.length + diff.stages.changed.length === 0;
