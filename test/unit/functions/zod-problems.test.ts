import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError } from '../../../functions/http/zod-problems.js';
import { DecisionRequestSchema } from '../../../shared/domain/decision.js';

const problemsOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('the input was accepted');
  return result.error;
};

/** a run of English words: what a Chinese page must not show */
const ENGLISH = /[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}/;

describe('zod problems, said to a person', () => {
  it('in English for the API: the path and zod’s words', () => {
    // Act
    const said = describeZodError(
      problemsOf(DecisionRequestSchema, {
        outcome: 'approved_with_conditions',
        conditions: [],
        document: { number: '', date: '2026-03-02' },
      }),
      'body',
    );

    // Assess
    expect(said).toContain('body.conditions: list at least one condition');
    expect(said).toContain("body.document.number: the approval document's number");
  });

  it('in Chinese for the pages: the field’s label on the form and what is wrong, no English', () => {
    // Act
    const decision = describeZodError(
      problemsOf(DecisionRequestSchema, {
        outcome: 'approved_with_conditions',
        conditions: [],
        document: { number: '', date: '2026-03-02' },
      }),
      'form',
      'zh',
    );
    const kinds = describeZodError(
      problemsOf(
        z.strictObject({
          userId: z.string().regex(/^[a-z][a-z0-9-]{2,39}$/),
          role: z.enum(['officer', 'agent']),
          title: z.string().max(5),
          scheduledAt: z.iso.datetime(),
          agenda: z.array(z.object({ stepId: z.string() })),
          password: z.string().refine(() => false, 'the password is too weak'),
        }),
        {
          userId: 'X',
          role: 'boss',
          title: '一个很长很长的会议名称',
          scheduledAt: 'tomorrow',
          agenda: [{}],
          password: 'x',
        },
      ),
      'form',
      'zh',
    );

    // Assess
    expect(decision).toBe('表单填写有误：附加条件：至少填写一项；批文文号：不能为空。');
    expect(kinds).toBe(
      '表单填写有误：用户名：格式不正确；角色：不是可选的值，请从列出的选项中选择；会议名称：不能超过 5 个字；' +
        '会议时间：日期或时间格式不正确；事项（第 1 项）：必须填写；另有 1 处问题。',
    );
    expect([decision, kinds].filter((said) => ENGLISH.test(said))).toEqual([]);
  });

  it('keeps a schema’s own message when it is Chinese, and says an English one is malformed', () => {
    // Act
    const said = describeZodError(
      problemsOf(
        z.object({
          code: z.string().refine(() => false, '项目代码应为 24 位'),
          note: z.string().refine(() => false, 'not like this'),
        }),
        { code: 'x', note: 'y' },
      ),
      'form',
      'zh',
    );

    // Assess
    expect(said).toBe('表单填写有误：项目代码：项目代码应为 24 位；说明：格式不正确。');
  });
});
