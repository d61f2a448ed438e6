// SPDX-License-Identifier: Apache-2.0
// Sets (or clears) the target of a region — and, if asked, of each of its child regions — for a run of
// periods, all in one request.
import { App, Checkbox, Flex, Form, InputNumber, Modal, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Indicator } from '../../../../contracts/indicators.ts';
import { lastPeriods, nextPeriod, periodAt, periodRange } from '../../../../contracts/indicator-periods.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { indicatorsApi } from './indicators-api.ts';

type Props = {
  open: boolean;
  ind: Indicator;
  regionCode: string;
  period: string | null;
  /** The child regions of `regionCode` (those of the ranking). */
  childCodes: string[];
  onClose: () => void;
  onSaved: () => void;
};

type Values = { regionCode: string | null; from: string; to: string; target: number | null; clear: boolean; children: boolean };

/** Targets may be set for two years back and one year ahead (in the indicator's periods). */
function periodChoices(ind: Indicator): string[] {
  const now = periodAt(ind.period, new Date());
  const back = { day: 60, week: 104, month: 24, quarter: 8, year: 5 }[ind.period];
  const ahead = { day: 30, week: 52, month: 12, quarter: 4, year: 3 }[ind.period];
  const out = lastPeriods(ind.period, now, back);
  for (let i = 0; i < ahead; i++) out.push(nextPeriod(ind.period, out[out.length - 1] as string));
  return out.reverse();
}

export function TargetsEditor({ open, ind, regionCode, period, childCodes, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const choices = useMemo(() => periodChoices(ind), [ind]);
  const clear = Form.useWatch('clear', form);
  const chosenRegion = Form.useWatch('regionCode', form);

  useEffect(() => {
    if (!open) return;
    const p = period ?? periodAt(ind.period, new Date());
    form.setFieldsValue({ regionCode, from: p, to: p, target: null, clear: false, children: false });
    setError(undefined);
  }, [open, regionCode, period, ind.period, form]);

  const submit = async (v: Values) => {
    if (!v.regionCode) return;
    const [from, to] = v.from <= v.to ? [v.from, v.to] : [v.to, v.from];
    const periods = periodRange(ind.period, from, to);
    const regions = [v.regionCode, ...(v.children && v.regionCode === regionCode ? childCodes : [])];
    const target = v.clear ? null : v.target;
    setBusy(true);
    setError(undefined);
    try {
      const r = await indicatorsApi.setTargets(ind.code, { items: regions.flatMap((regionCode) => periods.map((p) => ({ regionCode, period: p, target }))) });
      message.success(t('indicator.targetsSaved', { n: r.accepted }));
      onSaved();
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('indicator.targetsTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      forceRender
      data-testid="indicator-targets-modal"
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} data-testid="indicator-targets-form">
        <Form.Item name="regionCode" label={t('indicator.region')} rules={[{ required: true, message: t('indicator.regionRequired') }]}>
          <RegionPicker allowClear={false} style={{ width: '100%' }} data-testid="indicator-targets-region" />
        </Form.Item>
        {childCodes.length > 0 && chosenRegion === regionCode && (
          <Form.Item name="children" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox data-testid="indicator-targets-children">{t('indicator.targetsChildren', { n: childCodes.length })}</Checkbox>
          </Form.Item>
        )}
        <Flex gap={12}>
          <Form.Item name="from" label={t('indicator.fromPeriod')} style={{ flex: 1 }}>
            <Select showSearch options={choices.map((p) => ({ value: p, label: p }))} data-testid="indicator-targets-from" />
          </Form.Item>
          <Form.Item name="to" label={t('indicator.toPeriod')} style={{ flex: 1 }}>
            <Select showSearch options={choices.map((p) => ({ value: p, label: p }))} data-testid="indicator-targets-to" />
          </Form.Item>
        </Flex>
        <Flex gap={12} align="flex-start">
          <Form.Item
            name="target"
            label={`${t('indicator.target')}${ind.unit ? ` (${ind.unit})` : ''}`}
            style={{ flex: 1 }}
            rules={clear ? [] : [{ required: true, message: t('indicator.targetRequired') }]}
          >
            <InputNumber style={{ width: '100%' }} disabled={clear} data-testid="indicator-targets-value" />
          </Form.Item>
          <Form.Item name="clear" valuePropName="checked" label=" " style={{ flex: 1 }}>
            <Checkbox data-testid="indicator-targets-clear">{t('indicator.targetsClear')}</Checkbox>
          </Form.Item>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(ind.direction === 'higher_better' ? 'indicator.targetHintHigher' : 'indicator.targetHintLower')}
        </Typography.Text>
      </Form>
      {error !== undefined && <ErrorAlert error={error} className="yz-mb-8" />}
    </Modal>
  );
}
