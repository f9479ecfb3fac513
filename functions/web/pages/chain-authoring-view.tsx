import type { VersionCount } from '../../../shared/app/chain-versions.js';
import type { Chain } from '../../../shared/domain/chain.js';
import { type ChainDiff, FIELD_LABELS } from '../../../shared/domain/chain-diff.js';
import { stepRowOf } from '../../../shared/domain/chain-edit.js';
import type { ChainPreview } from '../../../shared/domain/chain-preview.js';
import type { Translate } from '../../http/i18n.js';
import { Scroll, Table } from '../layout.js';

/** How many blank rows the table offers for new steps. */
const NEW_ROWS = 3;

/** Projects on each version of the chain: in flight keep their version. */
export function VersionCounts(props: { t: Translate; counts: VersionCount[] }) {
  const { t, counts } = props;
  return (
    <section class="card" aria-labelledby="versions-h">
      <h2 id="versions-h">{t('各版本的项目数', 'Projects on each version')}</h2>
      {counts.length === 0 ? (
        <p>{t('该流程尚未发布。', 'This chain is not published yet.')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('版本', 'Version')}</th>
              <th scope="col">{t('在办', 'In flight')}</th>
              <th scope="col">{t('已办结', 'Completed')}</th>
              <th scope="col">{t('已撤回', 'Withdrawn')}</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((v) => (
              <tr>
                <td>{t(`第 ${v.version} 版`, `${v.chainId}@${v.version}`)}</td>
                <td>{v.inFlight}</td>
                <td>{v.completed}</td>
                <td>{v.withdrawn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const svgSource = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;

function DiffView(props: { t: Translate; diff: ChainDiff }) {
  const { t, diff } = props;
  const label = (field: string) => FIELD_LABELS[field] ?? field;
  const nothing =
    diff.added.length + diff.removed.length + diff.changed.length + diff.chain.length === 0 &&
    diff.stages.added.length + diff.stages.removed.length + diff.stages.changed.length === 0;
  return (
    <section class="card" aria-labelledby="diff-h">
      <h2 id="diff-h">
        {diff.baseVersion === undefined
          ? t('与现行版本的差异（尚无现行版本：全部为新增）', 'Differences (no version in force: all new)')
          : t(`与现行第${diff.baseVersion}版的差异`, `Differences from version ${diff.baseVersion} in force`)}
      </h2>
      {nothing ? <p>{t('与现行版本相同。', 'Same as the version in force.')}</p> : null}
      {diff.chain.map((c) => (
        <p>
          {label(c.field)}：{c.before} → {c.after}
        </p>
      ))}
      {diff.stages.added.length + diff.stages.removed.length > 0 ? (
        <p>
          {t('新增阶段', 'Stages added')}：{diff.stages.added.join('、') || '—'}；{t('删除阶段', 'removed')}：
          {diff.stages.removed.join('、') || '—'}
        </p>
      ) : null}
      {diff.stages.changed.map((s) => (
        <p>
          {t('阶段', 'Stage')} {s.stageId}：
          {s.changes.map((c) => `${label(c.field)} ${c.before} → ${c.after}`).join('；')}
        </p>
      ))}
      {diff.added.length > 0 ? (
        <>
          <h3>{t(`新增步骤（${diff.added.length}）`, `Steps added (${diff.added.length})`)}</h3>
          <ul>
            {diff.added.map((s) => (
              <li>{`步骤 ${s.stepId}（${s.name}） · ${s.stageId}`}</li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.removed.length > 0 ? (
        <>
          <h3>{t(`删除步骤（${diff.removed.length}）`, `Steps removed (${diff.removed.length})`)}</h3>
          <ul>
            {diff.removed.map((s) => (
              <li>{`步骤 ${s.stepId}（${s.name}） · ${s.stageId}`}</li>
            ))}
          </ul>
        </>
      ) : null}
      {diff.changed.length > 0 ? (
        <>
          <h3>{t(`修改步骤（${diff.changed.length}）`, `Steps changed (${diff.changed.length})`)}</h3>
          <Table
            label={t('修改的步骤', 'Steps changed')}
            heads={[t('步骤', 'Step'), t('项目', 'Field'), t('现行', 'In force'), t('修改后', 'New')]}
          >
            {diff.changed.flatMap((s) =>
              s.changes.map((c) => (
                <tr>
                  <td>{`步骤 ${s.stepId}（${s.name}）`}</td>
                  <td>{label(c.field)}</td>
                  <td>{c.before}</td>
                  <td>{c.after}</td>
                </tr>
              )),
            )}
          </Table>
        </>
      ) : null}
    </section>
  );
}

/** The preview: problems (or none), the critical path, the graph and the differences. */
export function PreviewView(props: { t: Translate; preview: ChainPreview }) {
  const { t, preview } = props;
  const path = preview.criticalPath;
  return (
    <>
      <section class="card" aria-labelledby="problems-h">
        <h2 id="problems-h">
          {t('预览', 'Preview')} {preview.key ? t(`第 ${preview.key.split('@').at(-1)} 版`, preview.key) : ''}
        </h2>
        {preview.problems.length === 0 ? (
          <p>{t('校验通过：未发现问题，可以发布。', 'No problems: ready to publish.')}</p>
        ) : (
          <div class="error" role="alert">
            <p>
              {t(
                `发现 ${preview.problems.length} 个问题，修正后才能发布：`,
                `${preview.problems.length} problems to fix before publishing:`,
              )}
            </p>
            <ul>
              {preview.problems.map((p) => (
                <li>{t(p.zh, p.en)}</li>
              ))}
            </ul>
          </div>
        )}
      </section>
      {path ? (
        <section class="card" aria-labelledby="path-h">
          <h2 id="path-h">{t('关键路径', 'Critical path')}</h2>
          <p>
            {t(
              `按承诺时限，关键路径共 ${path.workingDays} 个工作日（目标 ${path.targetWorkingDays} 个工作日；按法定时限 ${path.legalWorkingDays} 个；若逐项串联 ${path.seriesWorkingDays} 个）。`,
              `By promised limits the critical path takes ${path.workingDays} working days (target ${path.targetWorkingDays}; by legal limits ${path.legalWorkingDays}; all in series ${path.seriesWorkingDays}).`,
            )}
            {path.workingDays > path.targetWorkingDays
              ? t(' 超过目标。', ' Over the target.')
              : t(' 未超过目标。', ' Within the target.')}
          </p>
          <ol>
            {path.stages.map((s, i) => (
              <li>
                {t(`第${i + 1}阶段`, s.stageId)}：{s.workingDays} {t('个工作日', 'working days')} ·{' '}
                {s.criticalSteps.map((id) => `${t('步骤', 'step')} ${id}`).join(' → ') || '—'}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {preview.svg ? (
        <section class="card" aria-labelledby="graph-h">
          <h2 id="graph-h">{t('阶段与步骤图', 'Stages and steps')}</h2>
          <p class="hint">
            {t(
              '红色粗框为关键路径上的步骤；红色虚线为构成互为前置的前置关系；虚线框为节点（由代办员报告）。',
              'Red, bold: steps on the critical path; red dashed arrows close a cycle (互为前置); dashed boxes are milestones.',
            )}
          </p>
          <Scroll label={t('流程图', 'Chain graph')}>
            <img src={svgSource(preview.svg)} alt={t('审批流程的阶段与步骤图', 'The chain as a graph')} />
          </Scroll>
        </section>
      ) : null}
      {preview.diff ? <DiffView t={t} diff={preview.diff} /> : null}
    </>
  );
}

/** The steps as a table of inputs: name, department, limits, prerequisites and stage; blank rows add steps. */
export function StepTable(props: { t: Translate; chain: Chain; departments: string[] }) {
  const { t, chain, departments } = props;
  const cells = (prefix: string, i: number, values: Record<string, string>) => {
    /** One text input of the row, named by its field, labelled by its row. */
    const input = (
      field: string,
      what: [zh: string, en: string],
      look: { numeric?: boolean; size?: number; list?: string } = {},
    ) => (
      <td>
        <input
          type="text"
          inputmode={look.numeric ? 'numeric' : undefined}
          size={look.size}
          name={`${prefix}${field}`}
          value={values[field]}
          list={look.list}
          aria-label={t(`第${i}行的${what[0]}`, `row ${i} ${what[1]}`)}
        />
      </td>
    );
    return (
      <>
        <td>
          <select name={`${prefix}stageId`} aria-label={t(`第${i}行的阶段`, `row ${i} stage`)}>
            {chain.stages.map((s, n) => (
              <option value={s.id} selected={s.id === values.stageId}>
                {t(`第${n + 1}阶段 ${s.name}`, s.id)}
              </option>
            ))}
          </select>
        </td>
        {input('name', ['名称', 'name'])}
        {input('departmentId', ['部门', 'department'], { list: 'departments', size: 8 })}
        {input('promisedDays', ['承诺时限', 'promised days'], { numeric: true, size: 3 })}
        {input('legalDays', ['法定时限', 'legal days'], { numeric: true, size: 3 })}
        {input('prerequisites', ['前置步骤', 'prerequisites'], { size: 10 })}
      </>
    );
  };
  const steps = chain.stages.flatMap((stage) => stage.steps.map((step) => ({ stage, step })));
  return (
    <>
      <label for="edit-version">{t('新版本号', 'New version number')}</label>
      <input
        type="text"
        inputmode="numeric"
        id="edit-version"
        name="version"
        value={String(chain.version)}
        required
      />
      <datalist id="departments">
        {departments.map((d) => (
          <option value={d} />
        ))}
      </datalist>
      <p class="hint">
        {t(
          '时限为工作日（节点留空）；前置步骤填步骤编号，以逗号或空格分隔。表格不显示的内容（材料、适用条件、联合审查等）保持不变，可在下方 JSON 中修改。',
          'Limits in working days (blank for a milestone); prerequisites as step numbers separated by commas or spaces. What the table does not show (materials, rules, joint reviews) stays; edit it in the JSON below.',
        )}
      </p>
      <Table
        label={t('步骤', 'Steps')}
        heads={[
          t('步骤', 'Step'),
          t('阶段', 'Stage'),
          t('名称', 'Name'),
          t('部门', 'Department'),
          t('承诺时限', 'Promised'),
          t('法定时限', 'Legal'),
          t('前置步骤', 'Prerequisites'),
          t('删除', 'Remove'),
        ]}
      >
        {steps.map(({ stage, step }, i) => (
          <tr>
            <th scope="row">
              {step.id}
              <input type="hidden" name="row.id" value={step.id} />
            </th>
            {cells('row.', i + 1, stepRowOf(stage, step))}
            <td>
              <input
                type="checkbox"
                name="remove"
                value={step.id}
                aria-label={t(`删除步骤 ${step.id}`, `remove step ${step.id}`)}
              />
            </td>
          </tr>
        ))}
        {Array.from({ length: NEW_ROWS }, (_, k) => (
          <tr>
            <td>
              <input
                type="text"
                name="new.id"
                size={4}
                aria-label={t(`新步骤 ${k + 1} 的编号`, `new step ${k + 1} number`)}
              />
            </td>
            {cells('new.', steps.length + k + 1, {
              stageId: chain.stages.at(-1)?.id ?? '',
              name: '',
              departmentId: '',
              promisedDays: '',
              legalDays: '',
              prerequisites: '',
            })}
            <td>{t('新增', 'new')}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
