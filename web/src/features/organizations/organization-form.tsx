// SPDX-License-Identifier: Apache-2.0
// Registers a government department or a social organization.
import { Button, Drawer, Flex, Form, Input, Radio, Select } from 'antd';
import { useState } from 'react';
import type { DepartmentType, Organization, SocialType } from '../../../../contracts/identity.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { DEPARTMENT_TYPE_LIST, SOCIAL_TYPE_LIST } from '../../lib/domain.ts';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { type NewOrganization, organizationsApi } from './organizations-api.ts';

type Values = {
  kind: Organization['kind'];
  name: string;
  regionCode: string | null;
  departmentType?: DepartmentType;
  socialType?: SocialType;
  creditCode?: string;
  qualifications?: string[];
  contactName?: string;
  contactPhone?: string;
};

const FIELDS = ['kind', 'name', 'regionCode', 'departmentType', 'socialType', 'creditCode', 'qualifications', 'contactName', 'contactPhone'];

type Props = { open: boolean; onClose: () => void; onCreated: (org: Organization) => void };

/** A drawer with the organization form; calls `onCreated` with what the server stored. */
export function OrganizationFormDrawer({ open, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'government';
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [unmatchedFields, setUnmatchedFields] = useState(0);

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(undefined);
    const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
    const input: NewOrganization = {
      kind: values.kind,
      name: values.name.trim(),
      regionCode: values.regionCode ?? '',
      departmentType: values.kind === 'government' ? values.departmentType : undefined,
      socialType: values.kind === 'social' ? values.socialType : undefined,
      creditCode: blank(values.creditCode)?.toUpperCase(),
      qualifications: (values.qualifications ?? []).map((q) => q.trim()).filter(Boolean),
      contactName: blank(values.contactName),
      contactPhone: blank(values.contactPhone),
    };
    try {
      const created = await organizationsApi.create(input);
      form.resetFields();
      onCreated(created);
    } catch (err) {
      setUnmatchedFields(applyFieldErrors(form, err, FIELDS).length);
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Drawer
      title={t('org.create')}
      open={open}
      onClose={onClose}
      size={520}
      destroyOnHidden={false}
      data-testid="org-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="org-form-submit">
            {t('common.submit')}
          </Button>
        </Flex>
      }
    >
      {error !== undefined && <ErrorAlert error={error} hideFields={unmatchedFields === 0} className="yz-mb-16" />}
      <Form<Values> form={form} layout="vertical" initialValues={{ kind: 'government', qualifications: [] }} onFinish={submit} requiredMark>
        <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'government', label: t('org.kind.government') },
              { value: 'social', label: t('org.kind.social') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('org.name')} rules={[{ required: true, whitespace: true, message: t('org.nameRequired') }, { max: 200 }]}>
          <Input data-testid="org-form-name" maxLength={200} />
        </Form.Item>
        <Form.Item name="regionCode" label={t('org.region')} rules={[{ required: true, message: t('org.regionRequired') }]}>
          <RegionPicker data-testid="org-form-region" allowClear={false} />
        </Form.Item>
        {kind === 'government' ? (
          <Form.Item name="departmentType" label={t('org.departmentType')} rules={[{ required: true, message: t('org.departmentTypeRequired') }]}>
            <Select data-testid="org-form-department" options={DEPARTMENT_TYPE_LIST.map((d) => ({ value: d, label: t(`dept.${d}`) }))} />
          </Form.Item>
        ) : (
          <Form.Item name="socialType" label={t('org.socialType')} rules={[{ required: true, message: t('org.socialTypeRequired') }]}>
            <Select data-testid="org-form-social" options={SOCIAL_TYPE_LIST.map((s) => ({ value: s, label: t(`social.${s}`) }))} />
          </Form.Item>
        )}
        <Form.Item
          name="creditCode"
          label={t('org.creditCode')}
          rules={[{ pattern: /^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$/, message: t('org.creditCodeInvalid') }]}
        >
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="qualifications" label={t('org.qualifications')} extra={t('org.qualificationsHint')}>
          <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，', ';', '；']} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="contactName" label={t('org.contactName')} style={{ flex: 1 }} rules={[{ max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('org.contactPhone')}
            style={{ flex: 1 }}
            rules={[{ pattern: /^\+?[0-9][0-9-]{5,19}$/, message: t('org.phoneInvalid') }]}
          >
            <Input maxLength={20} />
          </Form.Item>
        </Flex>
      </Form>
    </Drawer>
  );
}
