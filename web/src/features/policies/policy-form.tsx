// SPDX-License-Identifier: Apache-2.0
// Issues a policy: its code, title and summary, the issuing organization and the region it applies in, the
// date issued, and its clauses as rows to add and remove.
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Form, Input, Select } from 'antd';
import { useState } from 'react';
import type { Policy } from '../../../../contracts/policies.ts';
import { useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { localDateTimeIn } from '../../lib/format.ts';
import { OrganizationPicker } from '../organizations/organization-picker.tsx';
import { POLICY_STATUS_LIST, type PolicyStatus, policiesApi } from './policies-api.ts';
import { clauseNumber } from './policy-labels.tsx';

type Values = {
  code: string;
  title: string;
  summary?: string;
  issuerOrganizationId: string | null;
  regionCode: string | null;
  issuedOn: string;
  status: PolicyStatus;
  clauses: Array<{ number?: string; text?: string }>;
};

const FIELDS = ['code', 'title', 'summary', 'issuerOrganizationId', 'regionCode', 'issuedOn', 'status', 'clauses'];

type Props = { open: boolean; onClose: () => void; onCreated: (p: Policy) => void };

export function PolicyFormDrawer({ open, onClose, onCreated }: Props) {
  const { t, lang } = useI18n();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [unmatched, setUnmatched] = useState(0);
  const numberFor = (n: number) => clauseNumber(n, lang, (x) => t('policy.clauseDefault', { n: x }));

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await policiesApi.create({
        code: v.code.trim(),
        title: v.title.trim(),
        summary: v.summary?.trim() ?? '',
        issuerOrganizationId: v.issuerOrganizationId ?? '',
        regionCode: v.regionCode ?? '',
        issuedOn: v.issuedOn,
        status: v.status,
        clauses: v.clauses.map((c) => ({ number: (c.number ?? '').trim(), text: (c.text ?? '').trim() })),
      });
      form.resetFields();
      onCreated(created);
    } catch (err) {
      setUnmatched(applyFieldErrors(form, err, FIELDS).length);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      title={t('policy.create')}
      open={open}
      onClose={onClose}
      size={640}
      data-testid="policy-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="policy-form-submit">
            {t('policy.issue')}
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
        initialValues={{ issuerOrganizationId: me.organizationId, regionCode: me.scopeCode, issuedOn: localDateTimeIn(0).slice(0, 10), status: 'in_force', clauses: [{ number: numberFor(1), text: '' }] }}
      >
        <Flex gap={12}>
          <Form.Item
            name="code"
            label={t('policy.code')}
            style={{ width: 220 }}
            extra={t('policy.codeHint')}
            rules={[
              { required: true, whitespace: true, message: t('policy.codeRequired') },
              { pattern: /^[A-Za-z0-9][A-Za-z0-9_.〔〕()-]{1,63}$/, message: t('policy.codeInvalid') },
            ]}
          >
            <Input maxLength={64} className="yz-mono" data-testid="policy-form-code" />
          </Form.Item>
          <Form.Item name="title" label={t('policy.titleField')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('policy.titleRequired') }]}>
            <Input maxLength={200} data-testid="policy-form-title" />
          </Form.Item>
        </Flex>
        <Form.Item name="summary" label={t('policy.summary')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={4000} data-testid="policy-form-summary" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="issuerOrganizationId" label={t('policy.issuer')} style={{ flex: 1 }} rules={[{ required: true, message: t('policy.issuerRequired') }]}>
            <OrganizationPicker allowClear={false} style={{ width: '100%' }} data-testid="policy-form-issuer" />
          </Form.Item>
          <Form.Item name="regionCode" label={t('policy.region')} style={{ flex: 1 }} extra={t('policy.regionHint')} rules={[{ required: true, message: t('policy.regionRequired') }]}>
            <RegionPicker allowClear={false} style={{ width: '100%' }} data-testid="policy-form-region" />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="issuedOn" label={t('policy.issuedOn')} style={{ flex: 1 }} rules={[{ required: true, message: t('policy.issuedOnRequired') }]}>
            <Input type="date" data-testid="policy-form-issued-on" />
          </Form.Item>
          <Form.Item name="status" label={t('common.status')} style={{ flex: 1 }}>
            <Select options={POLICY_STATUS_LIST.map((s) => ({ value: s, label: t(`policy.status.${s}`) }))} data-testid="policy-form-status" />
          </Form.Item>
        </Flex>
        <Form.List
          name="clauses"
          rules={[{ validator: async (_, value: unknown[] | undefined) => { if (!value || value.length === 0) throw new Error(t('policy.clausesRequired')); } }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Form.Item label={t('policy.clauses')} required>
              <Flex vertical gap={8} data-testid="policy-form-clauses">
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="flex-start" data-testid="policy-form-clause">
                    <Form.Item name={[f.name, 'number']} noStyle rules={[{ required: true, whitespace: true, message: t('policy.clauseNumberRequired') }]}>
                      <Input style={{ width: 110 }} maxLength={30} placeholder={t('policy.clauseNumber')} data-testid="policy-form-clause-number" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'text']} noStyle rules={[{ required: true, whitespace: true, message: t('policy.clauseTextRequired') }]}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={4000} placeholder={t('policy.clauseText')} data-testid="policy-form-clause-text" />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('policy.clauseRemove')} />
                  </Flex>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ number: numberFor(fields.length + 1), text: '' })}
                  style={{ alignSelf: 'flex-start' }}
                  data-testid="policy-form-clause-add"
                >
                  {t('policy.clauseAdd')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Flex>
            </Form.Item>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
