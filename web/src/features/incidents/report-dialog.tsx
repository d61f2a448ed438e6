// SPDX-License-Identifier: Apache-2.0
// Reports an incident: the type (category → type), grade, description, and where: coordinates or a region.
import { Alert, App, Cascader, Col, Form, Input, InputNumber, Modal, Row, Select, Switch } from 'antd';
import { useState } from 'react';
import { GRADES, type Grade, type IncidentType } from '../../../../contracts/dispatch-incidents.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { incidentsApi } from './incidents-api.ts';

type Props = { open: boolean; types: IncidentType[]; onClose: () => void; onReported: (id: string) => void };
type Values = {
  type?: string[];
  grade: Grade;
  title?: string;
  description?: string;
  lon?: number | null;
  lat?: number | null;
  regionCode?: string | null;
  address?: string;
  exercise: boolean;
};
const FIELDS = ['typeCode', 'grade', 'title', 'description', 'lon', 'lat', 'regionCode', 'address', 'exercise'];

export function ReportDialog({ open, types, onClose, onReported }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const name = (x: IncidentType) => (lang === 'en' ? x.nameEn : x.name);
  const options = types
    .filter((c) => !c.leaf)
    .map((c) => ({ value: c.code, label: name(c), children: types.filter((x) => x.parentCode === c.code).map((x) => ({ value: x.code, label: name(x) })) }));

  const submit = async (v: Values) => {
    const hasPoint = typeof v.lon === 'number' && typeof v.lat === 'number';
    if (!hasPoint && !v.regionCode) {
      form.setFields([{ name: 'regionCode', errors: [t('incident.form.whereRequired')] }]);
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      const outcome = await incidentsApi.report({
        typeCode: v.type?.at(-1),
        grade: v.grade,
        ...(v.title?.trim() ? { title: v.title.trim() } : {}),
        description: v.description?.trim() ?? '',
        ...(hasPoint ? { lon: v.lon ?? undefined, lat: v.lat ?? undefined } : {}),
        ...(v.regionCode ? { regionCode: v.regionCode } : {}),
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
        exercise: v.exercise,
      });
      if (outcome.duplicate) message.info(t('incident.linked'));
      else message.success(t('incident.reported'));
      form.resetFields();
      onReported(outcome.incident.id);
    } catch (err) {
      const rest = applyFieldErrors(form, err, FIELDS);
      const typeErr = rest.find((e) => e.field === 'body.typeCode');
      if (typeErr) form.setFields([{ name: 'type', errors: [typeErr.message] }]);
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal open={open} title={t('incident.report')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.submit')} confirmLoading={submitting} width={640} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ grade: 'IV', exercise: false }} data-testid="incident-report-form">
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item name="type" label={t('incident.form.type')} rules={[{ required: true, message: t('incident.form.typeRequired') }]}>
              <Cascader options={options} showSearch data-testid="incident-form-type" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="grade" label={t('incident.form.grade')}>
              <Select options={GRADES.map((g) => ({ value: g, label: t(`incident.grade.${g}`) }))} data-testid="incident-form-grade" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label={t('incident.form.title')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('incident.form.description')}>
          <Input.TextArea rows={3} maxLength={4000} data-testid="incident-form-description" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="lon" label={t('incident.form.lon')}>
              <InputNumber style={{ width: '100%' }} min={-180} max={180} step={0.0001} data-testid="incident-form-lon" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="lat" label={t('incident.form.lat')}>
              <InputNumber style={{ width: '100%' }} min={-90} max={90} step={0.0001} data-testid="incident-form-lat" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="regionCode" label={t('incident.form.region')}>
          <RegionPicker data-testid="incident-form-region" />
        </Form.Item>
        <Form.Item name="address" label={t('incident.form.address')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="exercise" label={t('incident.form.exercise')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      {error !== undefined && <ErrorAlert error={error} />}
      {types.length === 0 && <Alert type="info" message={t('common.loading')} />}
    </Modal>
  );
}
