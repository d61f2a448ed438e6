// SPDX-License-Identifier: Apache-2.0
// Publishes a service task to qualified social organizations: what it is and where, its service standard
// (deliverables and acceptance criteria as lists, the indicators it moves), the budget, the qualifications a
// bidder must hold, when bidding closes and when delivery is due.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Form, Input, InputNumber, Select, Typography } from 'antd';
import { useState } from 'react';
import type { TaskDetail } from '../../../../contracts/tasks.ts';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { isoOfLocal, localDateTimeIn } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { indicatorName } from '../indicators/indicator-labels.tsx';
import { indicatorsApi } from '../indicators/indicators-api.ts';
import { marketApi } from './service-market-api.ts';

type Values = {
  title: string;
  description?: string;
  regionCode: string | null;
  deliverables: Array<{ text?: string }>;
  acceptanceCriteria: Array<{ text?: string }>;
  indicators: string[];
  budget: number | null;
  qualifications: string[];
  bidDeadline: string;
  deadline: string;
  evidenceRequired?: string;
};

const FIELDS = ['title', 'description', 'regionCode', 'standard', 'budget', 'qualifications', 'bidDeadline', 'deadline', 'evidenceRequired'];

type Props = { open: boolean; onClose: () => void; onPublished: (task: TaskDetail) => void };

export function PublishFormDrawer({ open, onClose, onPublished }: Props) {
  const { t, lang } = useI18n();
  const me = useMe();
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [unmatched, setUnmatched] = useState(0);
  const readsIndicators = can('indicator:read');
  const indicators = useAsync((signal) => (open && readsIndicators ? indicatorsApi.list({ status: 'active' }, 200, 0, signal) : undefined), [open, readsIndicators]);
  const bidDeadline = Form.useWatch('bidDeadline', form);

  const submit = async (v: Values) => {
    const texts = (xs: Array<{ text?: string }>) => xs.map((x) => (x.text ?? '').trim()).filter(Boolean);
    setBusy(true);
    setError(undefined);
    try {
      const created = await marketApi.publish({
        title: v.title.trim(),
        description: v.description?.trim() ?? '',
        regionCode: v.regionCode ?? '',
        standard: { deliverables: texts(v.deliverables), acceptanceCriteria: texts(v.acceptanceCriteria), indicators: v.indicators },
        budget: v.budget ?? 0,
        qualifications: v.qualifications.map((q) => q.trim()).filter(Boolean),
        bidDeadline: isoOfLocal(v.bidDeadline),
        deadline: isoOfLocal(v.deadline),
        evidenceRequired: v.evidenceRequired?.trim() ?? '',
      });
      form.resetFields();
      onPublished(created);
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, FIELDS).length);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const textList = (name: 'deliverables' | 'acceptanceCriteria', label: string, placeholder: string, testId: string) => (
    <Form.List
      name={name}
      rules={[{ validator: async (_, value: Array<{ text?: string }> | undefined) => { if (!(value ?? []).some((x) => x.text?.trim())) throw new Error(t('market.listRequired', { what: label })); } }]}
    >
      {(fields, { add, remove }, { errors }) => (
        <Form.Item label={label} required>
          <Flex vertical gap={8} data-testid={testId}>
            {fields.map((f, i) => (
              <Flex key={f.key} gap={8} align="center">
                <Typography.Text type="secondary" style={{ width: 18, textAlign: 'right' }}>{i + 1}.</Typography.Text>
                <Form.Item name={[f.name, 'text']} noStyle>
                  <Input maxLength={300} placeholder={placeholder} data-testid={`${testId}-item`} />
                </Form.Item>
                <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('market.removeItem')} />
              </Flex>
            ))}
            <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => add({ text: '' })} style={{ alignSelf: 'flex-start' }} data-testid={`${testId}-add`}>
              {t('market.addItem')}
            </Button>
            <Form.ErrorList errors={errors} />
          </Flex>
        </Form.Item>
      )}
    </Form.List>
  );

  return (
    <Drawer
      title={t('market.publish')}
      open={open}
      onClose={onClose}
      size={640}
      data-testid="publish-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="publish-form-submit">
            {t('market.publishSubmit')}
          </Button>
        </Flex>
      }
    >
      {error !== undefined && <ErrorAlert error={error} hideFields={unmatched === 0} className="yz-mb-16" />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark
        initialValues={{
          regionCode: me.scopeCode,
          deliverables: [{ text: '' }],
          acceptanceCriteria: [{ text: '' }],
          indicators: [],
          qualifications: [],
          budget: null,
          bidDeadline: localDateTimeIn(7),
          deadline: localDateTimeIn(37),
        }}
      >
        <Form.Item name="title" label={t('market.taskTitle')} rules={[{ required: true, whitespace: true, message: t('market.titleRequired') }]}>
          <Input maxLength={200} data-testid="publish-form-title" />
        </Form.Item>
        <Form.Item name="description" label={t('task.description')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={4000} data-testid="publish-form-description" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="regionCode" label={t('market.region')} style={{ flex: 1 }} extra={t('market.regionHint')} rules={[{ required: true, message: t('indicator.regionRequired') }]}>
            <RegionPicker allowClear={false} style={{ width: '100%' }} data-testid="publish-form-region" />
          </Form.Item>
          <Form.Item name="budget" label={t('market.budgetYuan')} style={{ width: 200 }} rules={[{ required: true, message: t('market.budgetRequired') }]}>
            <InputNumber min={0.01} max={1e10} step={1000} precision={2} style={{ width: '100%' }} data-testid="publish-form-budget" />
          </Form.Item>
        </Flex>
        {textList('deliverables', t('market.deliverables'), t('market.deliverablePlaceholder'), 'publish-form-deliverables')}
        {textList('acceptanceCriteria', t('market.acceptanceCriteria'), t('market.criterionPlaceholder'), 'publish-form-criteria')}
        {readsIndicators && (
          <Form.Item name="indicators" label={t('market.indicators')} extra={t('market.indicatorsHint')}>
            <Select
              mode="multiple"
              maxCount={10}
              loading={indicators.loading}
              optionFilterProp="label"
              options={(indicators.data?.items ?? []).map((i) => ({ value: i.code, label: indicatorName(i, lang) }))}
              data-testid="publish-form-indicators"
            />
          </Form.Item>
        )}
        <Form.Item name="qualifications" label={t('market.qualifications')} extra={t('market.qualificationsHint')}>
          <Select mode="tags" open={false} suffixIcon={null} maxCount={10} tokenSeparators={[',', '，', ';', '；']} data-testid="publish-form-qualifications" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="bidDeadline" label={t('market.bidDeadline')} style={{ flex: 1 }} rules={[{ required: true, message: t('market.bidDeadlineRequired') }]}>
            <Input type="datetime-local" data-testid="publish-form-bid-deadline" />
          </Form.Item>
          <Form.Item
            name="deadline"
            label={t('market.deliveryDeadline')}
            style={{ flex: 1 }}
            dependencies={['bidDeadline']}
            rules={[
              { required: true, message: t('policy.deadlineRequired') },
              { validator: async (_, value: string | undefined) => { if (value && bidDeadline && value <= bidDeadline) throw new Error(t('market.deadlineAfterBids')); } },
            ]}
          >
            <Input type="datetime-local" data-testid="publish-form-deadline" />
          </Form.Item>
        </Flex>
        <Form.Item name="evidenceRequired" label={t('task.evidenceRequired')}>
          <Input maxLength={1000} placeholder={t('policy.evidencePlaceholder')} data-testid="publish-form-evidence" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
