// SPDX-License-Identifier: Apache-2.0
// Proposes a correction of one row: the changed values and a reason, sent up to the data set's owner.
import { Alert, App, Descriptions, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import type { Dataset, DatasetField, DatasetRow, FieldValue } from '../../../../contracts/datasets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { datasetsApi } from './datasets-api.ts';
import { fieldTitle } from './field-value.tsx';

type Props = { dataset: Dataset; row: DatasetRow | null; onClose: () => void; onProposed: () => void };
type Values = Record<string, FieldValue | undefined> & { reason?: string };

// Form field names are prefixed so that a data set field called "reason" cannot collide with ours.
const fieldKey = (name: string) => `f_${name}`;

function editor(f: DatasetField, t: (k: 'dataset.yes' | 'dataset.no' | 'common.none') => string) {
  switch (f.type) {
    case 'integer':
      return <InputNumber style={{ width: '100%' }} precision={0} data-testid={`correction-field-${f.name}`} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} data-testid={`correction-field-${f.name}`} />;
    case 'boolean':
      return (
        <Select
          allowClear
          data-testid={`correction-field-${f.name}`}
          options={[
            { value: true, label: t('dataset.yes') },
            { value: false, label: t('dataset.no') },
          ]}
        />
      );
    default:
      return <Input maxLength={2000} data-testid={`correction-field-${f.name}`} />;
  }
}

/** A dialog with the row's editable fields; only values that differ from the row are sent. */
export function CorrectionDialog({ dataset, row, onClose, onProposed }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const editable = dataset.fields.filter((f) => f.name !== dataset.keyField && f.name !== dataset.regionField);

  const submit = async (values: Values) => {
    if (!row) return;
    const changes: Record<string, FieldValue> = {};
    for (const f of editable) {
      const raw = values[fieldKey(f.name)];
      const value = raw === undefined || raw === '' ? null : typeof raw === 'string' ? raw.trim() : raw;
      if (value !== (row.data[f.name] ?? null)) changes[f.name] = value;
    }
    if (Object.keys(changes).length === 0) {
      setError(undefined);
      form.setFields([{ name: 'reason', errors: [t('dataset.nothingChanged')] }]);
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      await datasetsApi.propose(dataset.code, { key: row.key, changes, reason: (values.reason ?? '').trim() });
      message.success(t('dataset.proposed'));
      onProposed();
    } catch (err) {
      // body.changes.population → the population field; body.reason → the reason
      if (err instanceof ApiError) {
        form.setFields(
          err.fieldErrors.flatMap((e) => {
            const m = /^body\.(?:changes\.(\w+)|(reason))$/.exec(e.field);
            return m ? [{ name: m[1] ? fieldKey(m[1]) : 'reason', errors: [e.message] }] : [];
          }),
        );
      }
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={row !== null}
      title={t('dataset.proposeTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      okButtonProps={{ loading: submitting, 'data-testid': 'correction-submit' }}
      width={620}
      destroyOnHidden
      afterOpenChange={(open) => !open && setError(undefined)}
      data-testid="correction-dialog"
    >
      {row && (
        <>
          <Descriptions size="small" column={1} className="yz-mb-12">
            <Descriptions.Item label={t('dataset.rowKey')}>
              <span className="yz-mono">{row.key}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('dataset.region')}>
              {row.regionName ?? row.regionCode} <Typography.Text type="secondary">({row.regionCode})</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('dataset.lineage')}>
              {t('dataset.versionN', { version: row.lineage.version })} · {row.lineage.source}
            </Descriptions.Item>
          </Descriptions>
          <Alert type="info" showIcon className="yz-mb-12" title={t('dataset.proposeHint')} />
          {error !== undefined && <ErrorAlert error={error} hideFields className="yz-mb-12" />}
          <Form<Values>
            key={row.key}
            form={form}
            layout="vertical"
            onFinish={submit}
            preserve={false}
            initialValues={Object.fromEntries(editable.map((f) => [fieldKey(f.name), row.data[f.name] ?? undefined]))}
          >
            {editable.map((f) => (
              <Form.Item key={f.name} name={fieldKey(f.name)} label={fieldTitle(f)} style={{ marginBottom: 12 }}>
                {editor(f, t)}
              </Form.Item>
            ))}
            <Form.Item name="reason" label={t('dataset.reason')} rules={[{ required: true, whitespace: true, message: t('dataset.reasonRequired') }, { max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('dataset.reasonPlaceholder')} data-testid="correction-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
