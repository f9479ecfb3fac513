import type { NoticeMaterial } from './decision.js';
import type { ProjectStep } from './project.js';
import { isClosed, type StepStatus } from './step-status.js';

/**
 * 联合审查: several departments review one submission, each deciding its own part. The step's outcome is the most
 * severe of its parts (rejected > supplement > approved with conditions > approved > not applicable); a rejection
 * in one part never cancels the others; the supplement requests of all parts reach the agent as one notice
 * (一次性告知 across departments), once every part has answered.
 */
export type JointOutcome =
  /** a part is still reviewing (or not yet submitted): the step waits */
  | { kind: 'waiting' }
  /** every part answered and some asked for materials: one merged notice */
  | { kind: 'supplement'; missingMaterials: NoticeMaterial[]; partIds: string[] }
  | {
      kind: 'closed';
      status: Extract<StepStatus, 'approved' | 'deemed_approved' | 'rejected' | 'not_applicable'>;
      outcome: string;
      conditions?: string[];
      /** for a rejection: which parts rejected, with their basis */
      rejections?: Array<{ partId: string; legalBasis?: string; reason?: string }>;
      /** parts whose supplement request lapsed because another part rejected */
      lapsedPartIds?: string[];
    };

/** How severe a part's answer is (higher is more severe); undefined while it is still under review. */
export function severity(part: ProjectStep): number | undefined {
  switch (part.status) {
    case 'rejected':
      return 5;
    case 'supplement_requested':
      return 4;
    case 'approved':
    case 'deemed_approved':
      return part.outcome === 'approved_with_conditions' ? 3 : 2;
    case 'not_applicable':
    case 'withdrawn':
      return 1;
    default:
      return undefined;
  }
}

/** The outcome of a joint review from its parts as they stand. */
export function jointOutcome(parts: readonly ProjectStep[]): JointOutcome {
  if (parts.some((p) => severity(p) === undefined)) return { kind: 'waiting' };
  const rejected = parts.filter((p) => p.status === 'rejected');
  if (rejected.length > 0) {
    return {
      kind: 'closed',
      status: 'rejected',
      outcome: 'rejected',
      rejections: rejected.map((p) => ({
        partId: p.partId ?? '',
        ...(p.legalBasis ? { legalBasis: p.legalBasis } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
      })),
      lapsedPartIds: parts.filter((p) => p.status === 'supplement_requested').map((p) => p.partId ?? ''),
    };
  }
  const asking = parts.filter((p) => p.status === 'supplement_requested');
  if (asking.length > 0) {
    return {
      kind: 'supplement',
      missingMaterials: mergeNotices(asking),
      partIds: asking.map((p) => p.partId ?? ''),
    };
  }
  const passed = parts.filter(
    (p) => isClosed(p.status) && p.status !== 'not_applicable' && p.status !== 'withdrawn',
  );
  if (passed.length === 0) return { kind: 'closed', status: 'not_applicable', outcome: 'not_applicable' };
  const conditions = passed.flatMap((p) => (p.conditions ?? []).map((c) => `[${p.partId}] ${c}`));
  const allDeemed = passed.every((p) => p.status === 'deemed_approved');
  return {
    kind: 'closed',
    status: allDeemed ? 'deemed_approved' : 'approved',
    outcome: conditions.length > 0 ? 'approved_with_conditions' : allDeemed ? 'deemed_approved' : 'approved',
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** One list for the agent: each material once, with every part's reason for it. */
export function mergeNotices(parts: readonly ProjectStep[]): NoticeMaterial[] {
  const byName = new Map<string, NoticeMaterial>();
  for (const part of parts) {
    for (const material of part.missingMaterials ?? []) {
      const tagged: NoticeMaterial = {
        ...material,
        ...(part.partId ? { partId: part.partId } : {}),
        ...(part.departmentId ? { departmentId: part.departmentId } : {}),
      };
      const seen = byName.get(material.name);
      if (!seen) byName.set(material.name, tagged);
      else byName.set(material.name, { ...seen, reason: `${seen.reason}; ${material.reason}` });
    }
  }
  return [...byName.values()];
}
