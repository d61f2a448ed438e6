// SPDX-License-Identifier: Apache-2.0
// Changes an account's roles, clearance and whether it is disabled; sends only what changed.
import { App, Button, Descriptions, Drawer, Flex, Form, Select, Switch } from 'antd';
import { useEffect, useState } from 'react';
import type { Classification } from '../../../../contracts/common.ts';
import type { Role, User, UserPatch } from '../../../../contracts/identity.ts';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { CLASSIFICATION_LIST } from '../../lib/domain.ts';
import { applyFieldErrors } from '../../lib/form-errors.ts';
import { RolesField } from './roles-field.tsx';
import { separationRule } from './user-form.tsx';
import { usersApi } from './users-api.ts';

type Values = { roles: Role[]; clearance: Classification; disabled: boolean };

type Props = { user: User | null; onClose: () => void; onSaved: (user: User) => void };

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** A drawer editing `user` (closed when `user` is null). */
export function UserEditDrawer({ user, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const me = useMe();
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [unmatchedFields, setUnmatchedFields] = useState(0);

  useEffect(() => setError(undefined), [user]);

  const submit = async (values: Values) => {
    if (!user) return;
    const patch: UserPatch = {};
    if (!sameRoles(values.roles, user.roles)) patch.roles = values.roles;
    if (values.clearance !== user.clearance) patch.clearance = values.clearance;
    if (values.disabled !== user.disabled) patch.disabled = values.disabled;
    if (Object.keys(patch).length === 0) {
      message.info(t('user.noChanges'));
      return;
    }
    setSubmitting(true);
    setError(undefined);
    try {
      onSaved(await usersApi.update(user.id, patch));
    } catch (err) {
      setUnmatchedFields(applyFieldErrors(form, err, ['roles', 'clearance', 'disabled']).length);
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Drawer
      title={user ? t('user.editTitle', { name: user.displayName }) : t('user.edit')}
      open={user !== null}
      onClose={onClose}
      size={560}
      data-testid="user-edit"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="user-edit-submit">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      {error !== undefined && <ErrorAlert error={error} hideFields={unmatchedFields === 0} className="yz-mb-16" />}
      {user && (
        <Descriptions
          size="small"
          column={1}
          style={{ marginBottom: 16 }}
          items={[
            { key: 'username', label: t('user.username'), children: user.username },
            { key: 'org', label: t('user.organization'), children: user.organizationName ?? user.organizationId },
          ]}
        />
      )}
      <Form<Values>
        key={user ? `${user.id}:${user.roles.join()}:${user.clearance}:${user.disabled}` : 'none'}
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={user ? { roles: user.roles, clearance: user.clearance, disabled: user.disabled } : undefined}
      >
        <Form.Item
          name="roles"
          label={t('user.roles')}
          rules={[{ required: true, type: 'array', min: 1, message: t('user.rolesRequired') }, separationRule(t('user.separationShort'))]}
        >
          <RolesField grantable={me.grantableRoles} />
        </Form.Item>
        <Form.Item
          name="clearance"
          label={t('user.clearance')}
          rules={[{ required: true }]}
          extra={can('user:grant') ? undefined : t('user.clearanceGrantOnly')}
        >
          <Select
            disabled={!can('user:grant')}
            data-testid="user-edit-clearance"
            options={CLASSIFICATION_LIST.map((c) => ({ value: c, label: t(`clearance.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name="disabled" label={t('user.disable')} valuePropName="checked">
          <Switch data-testid="user-edit-disabled" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
