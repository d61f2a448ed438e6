// SPDX-License-Identifier: Apache-2.0
// The signed-in shell: a menu of the capabilities the user may use, who they are, and the page.
import { EnvironmentOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Flex, Layout, Menu, type MenuProps, Result, Tooltip, Typography } from 'antd';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { Loading } from '../components/loading.tsx';
import { RoleTags } from '../components/role-tags.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { navigate, segmentsOf, useHashPath } from './router.ts';
import { allowedRoutes, MENU_GROUPS, ROUTES } from './routes.tsx';
import { useMe, useSession } from './session.tsx';

const SIDER_KEY = 'yz.sider.collapsed';

// Storage can be blocked by policy; the sider then simply starts open.
function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeFlag(key: string, value: boolean): void {
  try {
    localStorage.setItem(key, value ? '1' : '0');
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

/** Layout with sider menu, header and the current page. */
export function AppLayout() {
  const { t, lang } = useI18n();
  const me = useMe();
  const { logout } = useSession();
  const path = useHashPath();
  const [first, ...params] = segmentsOf(path);
  const [collapsed, setCollapsed] = useState(() => readFlag(SIDER_KEY));
  const [leaving, setLeaving] = useState(false);

  const allowed = useMemo(() => allowedRoutes(me.permissions), [me.permissions]);
  const route = ROUTES.find((r) => r.key === first);
  const permitted = route !== undefined && allowed.includes(route);

  // The bare address opens the first page the user may use.
  useEffect(() => {
    const start = allowed[0];
    if (!first && start) navigate(`/${start.key}`, true);
  }, [first, allowed]);

  const menuItems: MenuProps['items'] = MENU_GROUPS.flatMap((g) => {
    const items = allowed.filter((r) => r.group === g.key);
    if (items.length === 0) return [];
    return [
      {
        type: 'group' as const,
        key: g.key,
        label: collapsed ? null : t(g.labelKey),
        children: items.map((r) => ({
          key: r.key,
          icon: r.icon,
          label: <span data-testid={`nav-${r.key}`}>{t(r.labelKey)}</span>,
        })),
      },
    ];
  });

  const toggle = () => {
    setCollapsed((c) => {
      writeFlag(SIDER_KEY, !c);
      return !c;
    });
  };

  const PageComponent = route?.component;

  return (
    <Layout className="yz-shell">
      <Layout.Sider
        width={220}
        collapsedWidth={64}
        collapsed={collapsed}
        trigger={null}
        breakpoint="lg"
        onBreakpoint={(narrow) => narrow && setCollapsed(true)}
        className="yz-sider"
        theme="dark"
      >
        <a className="yz-brand" href="#/" aria-label={t('app.name')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {!collapsed && (
            <span className="yz-brand-text">
              <span className="yz-brand-name">{t('app.name')}</span>
              <span className="yz-brand-tag">{t('app.tagline')}</span>
            </span>
          )}
        </a>
        <Menu
          theme="dark"
          mode="inline"
          data-testid="nav-menu"
          selectedKeys={route ? [route.key] : []}
          items={menuItems}
          onClick={(e) => navigate(`/${e.key}`)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="yz-header">
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={toggle}
            aria-label={t('nav.toggle')}
          />
          <Flex align="center" gap={16} className="yz-header-right">
            <Tooltip title={t('auth.scope')}>
              <span className="yz-header-scope" data-testid="header-scope">
                <EnvironmentOutlined /> {(lang === 'en' ? (me.scopeNameEn ?? me.scopeName) : me.scopeName) ?? (me.scopeCode ? me.scopeCode : t('common.platform'))}
              </span>
            </Tooltip>
            <Flex align="center" gap={8} data-testid="header-user">
              <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1d5bd8' }} />
              <Flex vertical className="yz-header-who">
                <Typography.Text strong data-testid="header-display-name">
                  {me.displayName}
                </Typography.Text>
                {me.organizationName && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {me.organizationName}
                  </Typography.Text>
                )}
              </Flex>
              <span data-testid="header-roles">
                <RoleTags roles={me.roles} />
              </span>
            </Flex>
            <LanguageSwitch />
            <Button
              icon={<LogoutOutlined />}
              loading={leaving}
              data-testid="logout"
              onClick={() => {
                setLeaving(true);
                void logout().finally(() => {
                  setLeaving(false);
                  navigate('/', true);
                });
              }}
            >
              {t('auth.logout')}
            </Button>
          </Flex>
        </Layout.Header>
        <Layout.Content className="yz-content">
          {!first ? (
            allowed.length === 0 ? (
              <Result status="403" title={t('common.noPermission')} />
            ) : (
              <Loading />
            )
          ) : !route || !PageComponent ? (
            <Result
              status="404"
              title={t('common.notFound')}
              extra={
                <Button type="primary" onClick={() => navigate('/')}>
                  {t('common.backHome')}
                </Button>
              }
            />
          ) : !permitted ? (
            <Result
              status="403"
              title={t('common.noPermission')}
              data-testid="forbidden"
              extra={
                <Button type="primary" onClick={() => navigate('/')}>
                  {t('common.backHome')}
                </Button>
              }
            />
          ) : (
            <ErrorBoundary title={t('common.error')} retryLabel={t('common.retry')} resetKey={route.key}>
              <Suspense fallback={<Loading minHeight={400} />}>
                <PageComponent params={params} />
              </Suspense>
            </ErrorBoundary>
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
