// SPDX-License-Identifier: Apache-2.0
// Creates an account: identity, organization, roles, data scope and clearance.
import { Button, Drawer, Flex, Form, Input, Select } from 'antd';
import { useState } from 'react';
import type { Classification } from '../../../../contracts/common.ts';
import type { Role, User, UserInput } from '../../../../contracts/identity.ts';
import { useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CLASSIFICATION_LIST, SEPARATED_ROLES } from '../../lib/domain.ts';
import { ApiError } from '../../lib/api.ts';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { OrganizationPicker } from '../organizations/organization-picker.tsx';
import { RolesField } from './roles-field.tsx';
import { usersApi } from './users-api.ts';

type Values = {
  username: string;
  displayName: string;
  password: string;
  organizationId: string | null;
  roles: Role[];
  scopeCode: string | null;
  clearance: Classification;
  phone?: string;
  idCard?: string;
  email?: string;
};

const FIELDS = ['username', 'displayName', 'password', 'organizationId', 'roles', 'scopeCode', 'clearance', 'phone', 'idCard', 'email'];

type Props = { open: boolean; onClose: () => void; onCreated: (user: User) => void };

/** Validates roles against three-role separation (the form never offers a conflict; this catches old data). */
export function separationRule(message: string) {
  return {
    validator: async (_: unknown, roles: Role[] | undefined) => {
      if ((roles ?? []).filter((r) => SEPARATED_ROLES.includes(r)).length > 1) throw new Error(message);
    },
  };
}

/** A drawer with the new-user form. */
export function UserFormDrawer({ open, onClose, onCreated }: Props) {
  const { t } = useI18n();
  const me = useMe();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [unmatchedFields, setUnmatchedFields] = useState(0);
  const grantable = me.grantableRoles;

  const submit = async (values: Values) => {
    setSubmitting(true);
    setError(undefined);
    const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);
    const input: UserInput = {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      password: values.password,
      organizationId: values.organizationId ?? '',
      roles: values.roles,
      scopeCode: values.scopeCode ?? null,
      clearance: values.clearance,
      phone: blank(values.phone),
      idCard: blank(values.idCard)?.toUpperCase(),
      email: blank(values.email),
    };
    try {
      const created = await usersApi.create(input);
      form.resetFields();
      onCreated(created);
    } catch (err) {
      setUnmatchedFields(applyFieldErrors(form, err, FIELDS).length);
      if (err instanceof ApiError && err.code === 'username-taken') form.setFields([{ name: 'username', errors: [err.message] }]);
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Drawer
      title={t('user.create')}
      open={open}
      onClose={onClose}
      size={560}
      data-testid="user-form"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="user-form-submit">
            {t('common.submit')}
          </Button>
        </Flex>
      }
    >
      {error !== undefined && <ErrorAlert error={error} hideFields={unmatchedFields === 0} className="yz-mb-16" />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ roles: [], clearance: 'internal', scopeCode: me.scopeCode, organizationId: null }}
        autoComplete="off"
      >
        <Flex gap={12}>
          <Form.Item
            name="username"
            label={t('user.username')}
            style={{ flex: 1 }}
            rules={[{ required: true, pattern: /^[a-zA-Z0-9][a-zA-Z0-9._-]{2,39}$/, message: t('user.usernameInvalid') }]}
          >
            <Input data-testid="user-form-username" maxLength={40} autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('user.displayName')}
            style={{ flex: 1 }}
            rules={[{ required: true, whitespace: true, message: t('user.displayNameRequired') }, { max: 100 }]}
          >
            <Input data-testid="user-form-display-name" maxLength={100} />
          </Form.Item>
        </Flex>
        <Form.Item name="password" label={t('user.password')} extra={t('user.passwordHint', { min: me.passwordMinLength })} rules={[{ required: true, message: t('user.passwordRequired') }]}>
          <Input.Password data-testid="user-form-password" autoComplete="new-password" maxLength={200} />
        </Form.Item>
        <Form.Item name="organizationId" label={t('user.organization')} rules={[{ required: true, message: t('user.organizationRequired') }]}>
          <OrganizationPicker data-testid="user-form-organization" allowClear={false} />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('user.roles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('user.rolesRequired') }, separationRule(t('user.separationShort'))]}
        >
          <RolesField grantable={grantable} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="scopeCode" label={t('user.scope')} extra={t('user.scopeHint')} style={{ flex: 2 }}>
            <RegionPicker data-testid="user-form-scope" placeholder={t('common.platform')} />
          </Form.Item>
          <Form.Item name="clearance" label={t('user.clearance')} style={{ flex: 1 }} rules={[{ required: true }]}>
            <Select data-testid="user-form-clearance" options={CLASSIFICATION_LIST.map((c) => ({ value: c, label: t(`clearance.${c}`) }))} />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="phone" label={t('user.phone')} style={{ flex: 1 }} rules={[{ pattern: /^\+?[0-9][0-9-]{5,19}$/, message: t('org.phoneInvalid') }]}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="email" label={t('user.email')} style={{ flex: 1 }} rules={[{ type: 'email', message: t('user.emailInvalid') }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        <Form.Item name="idCard" label={t('user.idCard')} rules={[{ pattern: /^\d{17}[\dXx]$/, message: t('user.idCardInvalid') }]}>
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
