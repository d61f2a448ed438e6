// SPDX-License-Identifier: Apache-2.0
// 用户管理: accounts in the user's scope; create (user:write), edit (user:write / user:grant), unlock (user:grant).
import { EditOutlined, LockOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Flex, Input, Popconfirm, Select, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Role, User } from '../../../../contracts/identity.ts';
import type { PageProps } from '../../app/routes.tsx';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RegionName } from '../../components/region-name.tsx';
import { RoleTags } from '../../components/role-tags.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorMessage } from '../../lib/api.ts';
import { classificationColor, ROLE_LIST } from '../../lib/domain.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { OrganizationPicker } from '../organizations/organization-picker.tsx';
import { UserEditDrawer } from './user-edit.tsx';
import { UserFormDrawer } from './user-form.tsx';
import { usersApi } from './users-api.ts';
import { tablePagination } from '../../lib/paging.ts';

export default function UsersPage(_props: PageProps) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const can = useCan();
  const me = useMe();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const [role, setRole] = useState<Role | undefined>(undefined);
  const [organizationId, setOrganizationId] = useState<string | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [unlocking, setUnlocking] = useState<string | null>(null);

  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [query, role, organizationId]);

  const list = useAsync(
    (signal) =>
      usersApi.list({ q: query || undefined, role, organizationId }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [query, role, organizationId, page.current, page.pageSize],
  );

  const mayEdit = can('user:write') || can('user:grant');
  const grantable = me.grantableRoles;
  // Mirrors the server: nobody changes their own grants, and without user:grant only accounts whose
  // roles one may grant can be managed (a system admin cannot touch the security or audit admin).
  const editBlockedReason = (u: User): string | null => {
    if (u.id === me.id) return t('user.selfEdit');
    if (!can('user:grant') && u.roles.some((r) => !grantable.includes(r))) return t('user.notManageable');
    return null;
  };

  const unlock = async (user: User) => {
    setUnlocking(user.id);
    try {
      await usersApi.unlock(user.id);
      message.success(t('user.unlocked', { name: user.displayName }));
      list.reload();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setUnlocking(null);
    }
  };

  const columns: TableColumnsType<User> = [
    {
      key: 'user',
      title: t('user.displayName'),
      fixed: 'left',
      width: 180,
      render: (_, u) => (
        <Flex vertical>
          <Typography.Text strong>{u.displayName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="user-row-username">
            {u.username}
          </Typography.Text>
        </Flex>
      ),
    },
    { key: 'org', title: t('user.organization'), width: 200, render: (_, u) => u.organizationName ?? t('common.none') },
    { key: 'roles', title: t('user.roles'), width: 220, render: (_, u) => <RoleTags roles={u.roles} /> },
    { key: 'scope', title: t('user.scope'), width: 140, render: (_, u) => <RegionName code={u.scopeCode} /> },
    {
      key: 'clearance',
      title: t('user.clearance'),
      width: 100,
      render: (_, u) => (
        <Tag color={classificationColor(u.clearance)} variant="filled">
          {t(`clearance.${u.clearance}`)}
        </Tag>
      ),
    },
    { key: 'phone', title: t('user.phone'), width: 140, render: (_, u) => <span className="yz-mono">{u.phone ?? t('common.none')}</span> },
    { key: 'idCard', title: t('user.idCard'), width: 190, render: (_, u) => <span className="yz-mono">{u.idCard ?? t('common.none')}</span> },
    {
      key: 'status',
      title: t('common.status'),
      width: 110,
      render: (_, u) => (
        <Space size={4} wrap>
          {u.disabled ? <Badge status="default" text={t('user.disabled')} /> : <Badge status="success" text={t('user.enabled')} />}
          {u.locked && (
            <Tag color="red" icon={<LockOutlined />} variant="filled">
              {t('user.locked')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      key: 'lastLogin',
      title: t('user.lastLogin'),
      width: 170,
      render: (_, u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt, lang) : <Typography.Text type="secondary">{t('user.never')}</Typography.Text>),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: 150,
      render: (_, u) => (
        <Space size={0}>
          {mayEdit && (
            <Tooltip title={editBlockedReason(u)}>
              <Button
                type="link"
                size="small"
                icon={<EditOutlined />}
                disabled={editBlockedReason(u) !== null}
                onClick={() => setEditing(u)}
                data-testid="user-edit-button"
              >
                {t('common.edit')}
              </Button>
            </Tooltip>
          )}
          {can('user:grant') && u.locked && (
            <Popconfirm title={t('user.unlockConfirm')} onConfirm={() => unlock(u)}>
              <Button type="link" size="small" icon={<UnlockOutlined />} loading={unlocking === u.id} data-testid="user-unlock-button">
                {t('user.unlock')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('user.title')}
        subtitle={t('user.subtitle')}
        extra={
          can('user:write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('user.create')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input.Search
            allowClear
            placeholder={t('user.searchPlaceholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ width: 240 }}
            data-testid="user-search"
          />
          <Select<Role>
            allowClear
            placeholder={t('user.roleFilter')}
            value={role}
            onChange={(r) => setRole(r ?? undefined)}
            style={{ width: 180 }}
            options={ROLE_LIST.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          />
          <OrganizationPicker value={organizationId} onChange={setOrganizationId} placeholder={t('user.orgFilter')} style={{ width: 260 }} />
          <Typography.Text type="secondary" style={{ fontSize: 12, alignSelf: 'center' }}>
            <LockOutlined /> {t('user.maskedHint')}
          </Typography.Text>
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<User>
          data-testid="user-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1500 }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
      {can('user:write') && (
        <UserFormDrawer
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            message.success(t('user.created', { name: user.displayName }));
            list.reload();
          }}
        />
      )}
      {mayEdit && (
        <UserEditDrawer
          user={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            message.success(t('user.saved'));
            list.reload();
          }}
        />
      )}
    </>
  );
}
