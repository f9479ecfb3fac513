import { describe, expect, it } from 'vitest';
import { documentPage } from '../../../functions/http/document-page.js';
import type { ProjectDocument } from '../../../shared/domain/documents.js';
import { localDate, localYear } from '../../../shared/domain/local-time.js';
import { readableText, timeProblems } from '../../support/local-dates.js';

/** 07:24 Beijing time on 2026-12-22 is 23:24 UTC on 2026-12-21. */
const ISSUED_AT = '2026-12-21T23:24:00.000Z';

const notice = (issuedAt: string): ProjectDocument => ({
  projectId: 'p1',
  docId: 'd1',
  kind: 'deemed_approval_notice',
  number: `超时默认〔${localYear(issuedAt)}〕第0007号`,
  title: '超时默认通知单',
  issuedAt,
  stepId: '7',
  fields: {
    projectCode: '2026-320115-39-01-000001',
    stepName: '环境影响评价审批',
    submittedAt: '2026-12-08T23:24:23.874Z',
    acceptedOn: '2026-12-09',
    dueDate: '2026-12-21',
    noticeDate: localDate(issuedAt),
  },
});

describe('an A4 document as people read and print it', () => {
  it('signs a notice issued at 07:24 Beijing time with that day, as its 通知日期 says', async () => {
    // Act
    const text = readableText(String(await documentPage(notice(ISSUED_AT))));

    // Assess
    expect(text).toMatch(/政务服务中心 重点项目代办服务\s+2026-12-22/);
    expect(text).toContain('通知日期');
    expect(text.match(/2026-12-22/g)?.length).toBe(2);
    expect(text).toContain('申报时间');
    expect(text).toContain('2026-12-09 07:24');
    expect(timeProblems(text)).toEqual([]);
  });

  it('numbers a notice issued in the first hours of New Year (Beijing) with the new year, as its footer', async () => {
    // Act
    const text = readableText(String(await documentPage(notice('2026-12-31T17:00:00.000Z'))));

    // Assess
    expect(text).toContain('超时默认〔2027〕第0007号');
    expect(text).toMatch(/重点项目代办服务\s+2027-01-01/);
  });
});
