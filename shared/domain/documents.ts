import { z } from 'zod';
import { InstantSchema } from './time.js';

/**
 * Documents the system produces and keeps (受理通知书, 一次性告知书, 超时默认通知单, 会议纪要): stored once, listed on
 * the project, readable as JSON and as a printable page. Never edited: a correction is a new document.
 */
export const DocumentKindSchema = z.enum([
  'deemed_approval_notice',
  'acceptance_notice',
  'supplement_notice',
  'meeting_minutes',
  /** a 超时默认通知单 a calendar change proved wrong: the notice stays as issued, this record corrects it */
  'notice_correction',
]);
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

export const ProjectDocumentSchema = z.object({
  projectId: z.string(),
  docId: z.string(),
  kind: DocumentKindSchema,
  /** its number, e.g. 超时默认〔2026〕第0007号 */
  number: z.string(),
  title: z.string(),
  issuedAt: InstantSchema,
  stepId: z.string().optional(),
  partId: z.string().optional(),
  departmentId: z.string().optional(),
  /** what the document says, field by field (the page lays it out) */
  fields: z.record(z.string(), z.unknown()),
});
export type ProjectDocument = z.infer<typeof ProjectDocumentSchema>;

export const DOCUMENT_TITLES: Record<DocumentKind, string> = {
  deemed_approval_notice: '超时默认通知单',
  acceptance_notice: '受理通知书',
  supplement_notice: '一次性告知书',
  meeting_minutes: '会议纪要',
  notice_correction: '超时默认通知单更正记录',
};
