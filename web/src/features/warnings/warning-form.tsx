// SPDX-License-Identifier: Apache-2.0
// Issues or updates a warning: CAP codes, how long it holds, the texts in Chinese and English, and the area
// (a region — its geocode and boundary — or a circle). An update sends only what it changes and a note.
import { App, Col, Divider, Form, Input, InputNumber, Modal, Radio, Row, Select, Switch } from 'antd';
import { useState } from 'react';
import {
  CAP_CATEGORIES, CAP_CERTAINTIES, CAP_RESPONSE_TYPES, CAP_SEVERITIES, CAP_URGENCIES, type CapCategory, type CapResponseType, type Warning, type WarningInput,
  type WarningText, type WarningUpdate,
} from '../../../../contracts/dispatch-warnings.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { warningsApi } from './warnings-api.ts';

type Text = { event?: string; headline?: string; description?: string; instruction?: string };
type Values = {
  categories: CapCategory[];
  urgency: WarningInput['urgency'];
  severity: WarningInput['severity'];
  certainty: WarningInput['certainty'];
  responseTypes: CapResponseType[];
  hours: number;
  zh: Text;
  en: Text;
  areaKind: 'region' | 'circle';
  regionCode?: string | null;
  lon?: number | null;
  lat?: number | null;
  radiusKm?: number | null;
  exercise: boolean;
  note?: string;
};
const FIELDS = ['categories', 'urgency', 'severity', 'certainty', 'responseTypes', 'expires', 'zh', 'en', 'area', 'exercise', 'note'];

type Props = { open: boolean; editing: Warning | null; onClose: () => void; onSaved: (id: string) => void };

function text(t: Text): WarningText {
  return {
    event: t.event?.trim() ?? '',
    headline: t.headline?.trim() ?? '',
    description: t.description?.trim() ?? '',
    ...(t.instruction?.trim() ? { instruction: t.instruction.trim() } : {}),
  };
}

export function WarningForm({ open, editing, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const areaKind = Form.useWatch('areaKind', form);

  const initial: Partial<Values> = editing
    ? {
        categories: editing.categories, urgency: editing.urgency, severity: editing.severity, certainty: editing.certainty, responseTypes: editing.responseTypes,
        hours: Math.max(1, Math.round((Date.parse(editing.expires) - Date.now()) / 3_600_000)), zh: editing.zh, en: editing.en,
        areaKind: editing.area.circles.length && !editing.area.regionCodes.length ? 'circle' : 'region', regionCode: editing.area.regionCodes[0] ?? null,
        lon: editing.area.circles[0]?.lon, lat: editing.area.circles[0]?.lat, radiusKm: editing.area.circles[0]?.radiusKm, exercise: editing.exercise,
      }
    : { categories: ['Met'], urgency: 'Expected', severity: 'Moderate', certainty: 'Likely', responseTypes: [], hours: 24, areaKind: 'region', exercise: false };

  const submit = async (v: Values) => {
    const area = v.areaKind === 'circle'
      ? { circles: [{ lon: v.lon ?? 0, lat: v.lat ?? 0, radiusKm: v.radiusKm ?? 1 }] }
      : { regionCodes: v.regionCode ? [v.regionCode] : [] };
    const expires = new Date(Date.now() + v.hours * 3_600_000).toISOString();
    const common = { categories: v.categories, urgency: v.urgency, severity: v.severity, certainty: v.certainty, responseTypes: v.responseTypes, expires, zh: text(v.zh), en: text(v.en), area };
    setBusy(true);
    setError(undefined);
    try {
      const saved = editing
        ? await warningsApi.update(editing.id, { ...common, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } satisfies WarningUpdate)
        : await warningsApi.issue({ ...common, exercise: v.exercise });
      message.success(t(editing ? 'warning.updated' : 'warning.issued'));
      form.resetFields();
      onSaved(saved.id);
    } catch (err) {
      applyFieldErrors(form, err, FIELDS);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const texts = (lang: 'zh' | 'en') => (
    <>
      <Divider plain>{t(lang === 'zh' ? 'warning.form.zh' : 'warning.form.en')}</Divider>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name={[lang, 'event']} label={t('warning.form.event')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={100} data-testid={`warning-form-${lang}-event`} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name={[lang, 'headline']} label={t('warning.form.headline')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={160} data-testid={`warning-form-${lang}-headline`} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name={[lang, 'description']} label={t('warning.form.description')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea rows={2} maxLength={4000} data-testid={`warning-form-${lang}-description`} />
      </Form.Item>
      <Form.Item name={[lang, 'instruction']} label={t('warning.form.instruction')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
    </>
  );

  return (
    <Modal
      open={open}
      title={t(editing ? 'warning.update' : 'warning.issue')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      confirmLoading={busy}
      width={760}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={initial} data-testid="warning-form">
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="categories" label={t('warning.form.categories')} rules={[{ required: true }]}>
              <Select mode="multiple" options={CAP_CATEGORIES.map((c) => ({ value: c, label: t(`warning.category.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="responseTypes" label={t('warning.form.responseTypes')}>
              <Select mode="multiple" options={CAP_RESPONSE_TYPES.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="urgency" label={t('warning.form.urgency')}>
              <Select options={CAP_URGENCIES.map((c) => ({ value: c, label: t(`warning.urgency.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="severity" label={t('warning.form.severity')}>
              <Select options={CAP_SEVERITIES.map((c) => ({ value: c, label: t(`warning.severity.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="certainty" label={t('warning.form.certainty')}>
              <Select options={CAP_CERTAINTIES.map((c) => ({ value: c, label: t(`warning.certainty.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="hours" label={t('warning.form.hours')} rules={[{ required: true }]}>
              <InputNumber min={1} max={24 * 30} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {texts('zh')}
        {texts('en')}
        <Divider plain>{t('warning.form.area')}</Divider>
        <Form.Item name="areaKind">
          <Radio.Group options={[{ value: 'region', label: t('warning.form.areaRegion') }, { value: 'circle', label: t('warning.form.areaCircle') }]} />
        </Form.Item>
        {areaKind === 'circle' ? (
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="lon" label={t('incident.form.lon')} rules={[{ required: true }]}>
                <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="lat" label={t('incident.form.lat')} rules={[{ required: true }]}>
                <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="radiusKm" label={t('warning.form.radius')} rules={[{ required: true }]}>
                <InputNumber min={0.1} max={1000} step={0.5} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        ) : (
          <Form.Item name="regionCode" label={t('warning.form.region')} rules={[{ required: true, message: t('warning.form.regionRequired') }]}>
            <RegionPicker data-testid="warning-form-region" />
          </Form.Item>
        )}
        {editing ? (
          <Form.Item name="note" label={t('warning.form.note')}>
            <Input maxLength={500} />
          </Form.Item>
        ) : (
          <Form.Item name="exercise" label={t('warning.form.exercise')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
      {error !== undefined && <ErrorAlert error={error} />}
    </Modal>
  );
}
