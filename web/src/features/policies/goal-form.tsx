// SPDX-License-Identifier: Apache-2.0
// Sets a goal of a policy: the clause it carries out, the indicator, the region and period, and the target
// (written to the indicator as that region's target for the period).
import { App, Flex, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { IndicatorSummary } from '../../../../contracts/indicators.ts';
import { lastPeriods, nextPeriod, periodAt, type PeriodKind } from '../../../../contracts/indicator-periods.ts';
import type { Clause, Policy } from '../../../../contracts/policies.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { useAsync } from '../../lib/use-async.ts';
import { indicatorName } from '../indicators/indicator-labels.tsx';
import { indicatorsApi } from '../indicators/indicators-api.ts';
import { policiesApi } from './policies-api.ts';

type Props = { open: boolean; policy: Policy; clause: Clause | null; onClose: () => void; onSaved: () => void };
type Values = { clause?: string; indicator?: string; regionCode: string | null; period?: string; target: number | null; title: string };

const FIELDS = ['clause', 'indicator', 'regionCode', 'period', 'target', 'title'];

/** Periods a goal may be set for: a year back to three years ahead, in the indicator's periods, latest first. */
function periodChoices(kind: PeriodKind): string[] {
  const now = periodAt(kind, new Date());
  const back = { day: 30, week: 13, month: 12, quarter: 4, year: 1 }[kind];
  const ahead = { day: 90, week: 52, month: 36, quarter: 12, year: 3 }[kind];
  const out = lastPeriods(kind, now, back);
  for (let i = 0; i < ahead; i++) out.push(nextPeriod(kind, out[out.length - 1] as string));
  return out.reverse();
}

export function GoalForm({ open, policy, clause, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const indicators = useAsync((signal) => (open ? indicatorsApi.list({ status: 'active' }, 200, 0, signal) : undefined), [open]);
  const [known, setKnown] = useState<IndicatorSummary[]>([]);
  useEffect(() => {
    if (indicators.data) setKnown(indicators.data.items);
  }, [indicators.data]);
  const code = Form.useWatch('indicator', form);
  const chosen = known.find((i) => i.code === code);
  const kind = chosen?.period;
  const choices = useMemo(() => (kind ? periodChoices(kind) : []), [kind]);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ clause: clause?.number ?? policy.clauses[0]?.number, regionCode: policy.regionCode, target: null, title: '' });
    setError(undefined);
  }, [open, clause, policy, form]);

  // A new indicator brings its own kind of period: the current one is offered first.
  useEffect(() => {
    if (code && kind) form.setFieldValue('period', periodAt(kind, new Date()));
  }, [code, kind, form]);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await policiesApi.addGoal(policy.code, {
        clause: v.clause ?? '',
        indicator: v.indicator ?? '',
        regionCode: v.regionCode ?? '',
        period: v.period ?? '',
        target: v.target ?? 0,
        title: v.title.trim(),
      });
      message.success(t('policy.goal.saved'));
      onSaved();
    } catch (err) {
      applyFieldErrors(form, err, FIELDS);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('policy.goal.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      width={600}
      forceRender
      data-testid="goal-form-modal"
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="goal-form">
        <Form.Item name="clause" label={t('policy.goal.clause')} rules={[{ required: true, message: t('policy.goal.clauseRequired') }]}>
          <Select
            options={policy.clauses.map((c) => ({ value: c.number, label: `${c.number} ${c.text.length > 40 ? `${c.text.slice(0, 40)}…` : c.text}` }))}
            data-testid="goal-form-clause"
          />
        </Form.Item>
        <Form.Item name="indicator" label={t('policy.goal.indicator')} rules={[{ required: true, message: t('policy.goal.indicatorRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'search' }}
            loading={indicators.loading}
            notFoundContent={indicators.loading ? t('common.loading') : t('indicator.empty')}
            options={known.map((i) => ({
              value: i.code,
              search: `${i.name} ${i.nameEn ?? ''} ${i.code}`,
              label: (
                <span data-testid="goal-form-indicator-option" data-code={i.code}>
                  {indicatorName(i, lang)}{' '}
                  <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 12 }}>
                    {i.code}
                  </Typography.Text>
                </span>
              ),
            }))}
            data-testid="goal-form-indicator"
          />
        </Form.Item>
        {indicators.error !== undefined && <ErrorAlert error={indicators.error} onRetry={indicators.reload} className="yz-mb-12" />}
        <Flex gap={12}>
          <Form.Item name="regionCode" label={t('policy.goal.region')} style={{ flex: 1 }} rules={[{ required: true, message: t('indicator.regionRequired') }]}>
            <RegionPicker allowClear={false} style={{ width: '100%' }} data-testid="goal-form-region" />
          </Form.Item>
          <Form.Item name="period" label={t('indicator.period')} style={{ width: 150 }} rules={[{ required: true, message: t('policy.goal.periodRequired') }]}>
            <Select showSearch disabled={!chosen} options={choices.map((p) => ({ value: p, label: p }))} data-testid="goal-form-period" />
          </Form.Item>
          <Form.Item
            name="target"
            label={`${t('indicator.target')}${chosen?.unit ? ` (${chosen.unit})` : ''}`}
            style={{ width: 130 }}
            rules={[{ required: true, message: t('indicator.targetRequired') }]}
          >
            <InputNumber style={{ width: '100%' }} data-testid="goal-form-target" />
          </Form.Item>
        </Flex>
        {chosen && (
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: -12, marginBottom: 12 }}>
            {t(chosen.direction === 'higher_better' ? 'indicator.targetHintHigher' : 'indicator.targetHintLower')}
          </Typography.Text>
        )}
        <Form.Item name="title" label={t('policy.goal.title')} rules={[{ required: true, whitespace: true, message: t('policy.goal.titleRequired') }]}>
          <Input maxLength={200} placeholder={t('policy.goal.titlePlaceholder')} data-testid="goal-form-title" />
        </Form.Item>
      </Form>
      {error !== undefined && <ErrorAlert error={error} className="yz-mb-8" />}
    </Modal>
  );
}
