import { InvalidInputError } from './errors.js';
import type { ProjectStep } from './project.js';
import { chinaDate } from './working-days.js';

/**
 * The first day an approval document (批文/证照) of this step (or part) can bear: the day its materials were
 * handed in (申报, in China), or the day its clock started (受理) when that is earlier or the only one known. A
 * document cannot predate the application it answers; a re-application (a new round) hands the materials in again.
 */
export function openedOn(item: Pick<ProjectStep, 'submittedAt' | 'clock'>): string | undefined {
  const days = [item.submittedAt ? chinaDate(new Date(item.submittedAt)) : undefined, item.clock?.acceptedOn];
  return days.filter((d): d is string => d !== undefined).sort()[0];
}

/**
 * Refuses the date an approval document bears when it cannot be true: later than the day of the decision
 * (`today`, in China) or earlier than the day the step opened. `where` names the step or part for the message; the
 * field is `document.date`.
 */
export function assertDocumentDate(
  document: { number: string; date: string },
  bounds: { today: string; openedOn: string | undefined },
  where: string,
): void {
  const { today, openedOn: opened } = bounds;
  if (document.date > today) {
    throw new InvalidInputError(
      'STEP.DOCUMENT_DATED_LATER',
      `document.date: ${where}: the approval document ${document.number} is dated ${document.date}, after the day of the decision (${today}); give the date the document bears`,
      { field: 'document.date' },
    );
  }
  if (opened !== undefined && document.date < opened) {
    throw new InvalidInputError(
      'STEP.DOCUMENT_DATED_EARLIER',
      `document.date: ${where}: the approval document ${document.number} is dated ${document.date}, before the step was applied for (${opened}); a document answers the application, so it cannot be older: give the date the document bears`,
      { field: 'document.date' },
    );
  }
}
