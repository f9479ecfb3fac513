import { z } from 'zod';
import { InstantSchema } from './time.js';

/** A message in a user's in-app inbox (GET /me/notifications); the same news goes to the configured channels. */
export const NotificationSchema = z.object({
  userId: z.string(),
  notificationId: z.string(),
  at: InstantSchema,
  kind: z.enum([
    'light_yellow',
    'breach',
    'escalation',
    'deemed_approval',
    'meeting',
    'supplement',
    'decision',
    /** an efficiency complaint: filed, moved on, overdue */
    'complaint',
    /** the applicant missed a deadline of its own (容缺 materials not supplied in time) */
    'applicant_breach',
    /** 告知承诺制: a commitment's verification (due, overdue, failed) */
    'commitment',
    /** the working-day calendar: a year's schedule is missing and deadlines wait on it; a notice corrected */
    'calendar',
    'other',
  ]),
  title: z.string(),
  message: z.string(),
  projectId: z.string().optional(),
  projectCode: z.string().optional(),
  stepId: z.string().optional(),
  partId: z.string().optional(),
  /** the joint review meeting it is about, and the instant it is held */
  meetingId: z.string().optional(),
  meetingAt: InstantSchema.optional(),
  /** a digest (汇总通知): the things it stands for, each with its project and step (see notification-digest.ts) */
  digest: z
    .array(
      z.object({
        title: z.string(),
        projectId: z.string().optional(),
        projectCode: z.string().optional(),
        stepId: z.string().optional(),
        partId: z.string().optional(),
      }),
    )
    .optional(),
  read: z.boolean(),
});
export type Notification = z.infer<typeof NotificationSchema>;
