// SPDX-License-Identifier: Apache-2.0
// Decomposes a goal into a task tree: a task for the goal's region and one for each region of the chosen
// levels below it, each routed to the department of the chosen type; then says what was created.
import { Alert, Button, Checkbox, Descriptions, Flex, Form, Input, Modal, Result, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Goal } from '../../../../contracts/policies.ts';
import { levelOfCode } from '../../../../contracts/region-codes.ts';
import type { DepartmentType } from '../../../../contracts/identity.ts';
import type { Level } from '../../../../contracts/regions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { DEPARTMENT_TYPE_LIST, LEVEL_DEPTH, LEVEL_LIST } from '../../lib/domain.ts';
import { isoOfLocal, localDateTimeIn } from '../../lib/format.ts';
import { RegionLabel } from '../indicators/indicator-labels.tsx';
import { type DecomposeResult, policiesApi } from './policies-api.ts';

type Props = { goal: Goal | null; onClose: () => void; onDone: () => void; onOpenTask: (id: string) => void };
type Values = { title: string; description?: string; departmentType?: DepartmentType; levels: Level[]; deadline: string; evidenceRequired?: string };

const FIELDS = ['title', 'description', 'departmentType', 'levels', 'deadline', 'evidenceRequired'];

/** The levels below `code`'s that a goal may be decomposed to (grids hold no tasks). */
function levelsBelow(code: string): Level[] {
  const depth = LEVEL_DEPTH[levelOfCode(code)];
  return LEVEL_LIST.filter((l) => LEVEL_DEPTH[l] > depth && l !== 'grid');
}

export function DecomposeDialog({ goal, onClose, onDone, onOpenTask }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<DecomposeResult | null>(null);
  // While the dialog closes it keeps showing the goal it showed.
  const [shown, setShown] = useState<Goal | null>(goal);
  if (goal !== null && goal !== shown) setShown(goal);
  const below = shown ? levelsBelow(shown.regionCode) : [];

  useEffect(() => {
    if (!goal) return;
    form.resetFields();
    form.setFieldsValue({ title: goal.title, description: '', levels: levelsBelow(goal.regionCode).slice(0, 1), deadline: localDateTimeIn(30), evidenceRequired: '' });
    setError(undefined);
    setResult(null);
  }, [goal, form]);

  const submit = async (v: Values) => {
    if (!shown) return;
    setBusy(true);
    setError(undefined);
    try {
      // the server wants the levels top down
      const levels = [...v.levels].sort((a, b) => LEVEL_DEPTH[a] - LEVEL_DEPTH[b]);
      const r = await policiesApi.decompose(shown.id, {
        title: v.title.trim(),
        description: v.description?.trim() ?? '',
        departmentType: v.departmentType as DepartmentType,
        levels,
        deadline: isoOfLocal(v.deadline),
        evidenceRequired: v.evidenceRequired?.trim() ?? '',
      });
      setResult(r);
      onDone();
    } catch (err) {
      applyFieldErrors(form, err, FIELDS);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={goal !== null}
      title={t('policy.decomposeTitle')}
      onCancel={onClose}
      width={640}
      forceRender
      data-testid="decompose-modal"
      footer={
        result ? (
          <Flex justify="flex-end" gap={8}>
            <Button
              onClick={() => {
                onClose();
                onOpenTask(result.rootTaskId);
              }}
              data-testid="decompose-open-root"
            >
              {t('policy.decomposeOpenRoot')}
            </Button>
            <Button type="primary" onClick={onClose} data-testid="decompose-close">
              {t('policy.decomposeClose')}
            </Button>
          </Flex>
        ) : (
          <Flex justify="flex-end" gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="decompose-submit">
              {t('policy.decompose')}
            </Button>
          </Flex>
        )
      }
    >
      {shown && (
        <Alert
          type="info"
          showIcon
          className="yz-mb-16"
          title={shown.title}
          description={
            <span>
              {shown.clauseNumber} · {shown.indicatorName} · <RegionLabel code={shown.regionCode} name={shown.regionName} /> · {shown.period}
            </span>
          }
        />
      )}
      {result && (
        <Result
          status="success"
          title={<span data-testid="decompose-result" data-created={result.created}>{t('policy.decomposeDone', { n: result.created })}</span>}
          subTitle={t('policy.decomposeRouted')}
          extra={
            <Descriptions size="small" bordered column={1} style={{ maxWidth: 360, margin: '0 auto', textAlign: 'start' }}>
              {LEVEL_LIST.filter((l) => result.byLevel[l] !== undefined).map((l) => (
                <Descriptions.Item key={l} label={t(`level.${l}`)}>
                  <span data-testid="decompose-level" data-level={l}>{t('policy.tasksN', { n: result.byLevel[l] ?? 0 })}</span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          }
        />
      )}
      <div style={result ? { display: 'none' } : undefined}>
        <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="decompose-form">
          <Form.Item name="title" label={t('policy.decomposeTaskTitle')} extra={t('policy.decomposeTitleHint')} rules={[{ required: true, whitespace: true, message: t('policy.goal.titleRequired') }]}>
            <Input maxLength={200} data-testid="decompose-title" />
          </Form.Item>
          <Form.Item name="description" label={t('task.description')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={4000} data-testid="decompose-description" />
          </Form.Item>
          <Flex gap={12}>
            <Form.Item name="departmentType" label={t('policy.decomposeDepartment')} style={{ flex: 1 }} rules={[{ required: true, message: t('org.departmentTypeRequired') }]}>
              <Select options={DEPARTMENT_TYPE_LIST.map((d) => ({ value: d, label: t(`dept.${d}`) }))} data-testid="decompose-department" />
            </Form.Item>
            <Form.Item name="deadline" label={t('task.deadline')} style={{ flex: 1 }} rules={[{ required: true, message: t('policy.deadlineRequired') }]}>
              <Input type="datetime-local" data-testid="decompose-deadline" />
            </Form.Item>
          </Flex>
          <Form.Item name="levels" label={t('policy.decomposeLevels')} extra={below.length ? t('policy.decomposeLevelsHint') : t('policy.decomposeNoLevels')}>
            <Checkbox.Group options={below.map((l) => ({ value: l, label: <span data-testid="decompose-level-option" data-level={l}>{t(`level.${l}`)}</span> }))} />
          </Form.Item>
          <Form.Item name="evidenceRequired" label={t('task.evidenceRequired')}>
            <Input maxLength={1000} placeholder={t('policy.evidencePlaceholder')} data-testid="decompose-evidence" />
          </Form.Item>
        </Form>
      </div>
      {error !== undefined && <ErrorAlert error={error} className="yz-mb-8" />}
      {!result && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('policy.decomposeHint')}
        </Typography.Text>
      )}
    </Modal>
  );
}
