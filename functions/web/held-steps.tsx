import type { Translate } from '../http/i18n.js';

/** The column heads of a table of steps the departments hold: light, project, step, department, due date, days left. */
export function HeldStepHeads(props: { t: Translate }) {
  const { t } = props;
  return (
    <>
      <th scope="col">{t('灯', 'Light')}</th>
      <th scope="col">{t('项目', 'Project')}</th>
      <th scope="col">{t('事项', 'Step')}</th>
      <th scope="col">{t('部门', 'Department')}</th>
      <th scope="col">{t('承诺截止', 'Due')}</th>
      <th scope="col">{t('剩余工作日', 'Days left')}</th>
    </>
  );
}
