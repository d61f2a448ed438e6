// SPDX-License-Identifier: Apache-2.0
// The console's pages: where each lives, who may open it, and its place in the menu.
// Each page is its own chunk (React.lazy), so signing in downloads only the shell.
import {
  AimOutlined, AlertOutlined, ApartmentOutlined, AuditOutlined, BellOutlined, CarryOutOutlined, DashboardOutlined, DatabaseOutlined, DeploymentUnitOutlined, FileProtectOutlined, FundOutlined,
  GlobalOutlined, NotificationOutlined, ProfileOutlined, ShopOutlined, TeamOutlined, ExperimentOutlined, WarningOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { MessageKey } from '../i18n/messages-zh-cn.ts';
import type { Permission } from '../lib/domain.ts';

/** What a page receives: the path segments after its own. */
export type PageProps = { params: string[] };

/** A capability area of the platform; only areas with at least one built, permitted page are shown. */
export type MenuGroup = { key: string; labelKey: MessageKey };

export const MENU_GROUPS: readonly MenuGroup[] = [
  { key: 'decision', labelKey: 'nav.decision' },
  { key: 'cloud', labelKey: 'nav.cloud' },
  { key: 'data', labelKey: 'nav.data' },
  { key: 'dispatch', labelKey: 'nav.dispatch' },
  { key: 'collaboration', labelKey: 'nav.collaboration' },
  { key: 'security', labelKey: 'nav.security' },
];

export type RouteDef = {
  key: string;
  group: string;
  labelKey: MessageKey;
  icon: ReactNode;
  permission: Permission;
  component: LazyExoticComponent<ComponentType<PageProps>>;
};

export const ROUTES: readonly RouteDef[] = [
  {
    key: 'cockpit',
    group: 'decision',
    labelKey: 'nav.cockpit',
    icon: <DashboardOutlined />,
    permission: 'indicator:read',
    component: lazy(() => import('../features/cockpit/cockpit-page.tsx')),
  },
  {
    key: 'indicators',
    group: 'decision',
    labelKey: 'nav.indicators',
    icon: <FundOutlined />,
    permission: 'indicator:read',
    component: lazy(() => import('../features/indicators/indicators-page.tsx')),
  },
  {
    key: 'indicator-alerts',
    group: 'decision',
    labelKey: 'nav.indicatorAlerts',
    icon: <BellOutlined />,
    permission: 'indicator:read',
    component: lazy(() => import('../features/indicators/indicator-alerts-page.tsx')),
  },
  {
    key: 'regions',
    group: 'cloud',
    labelKey: 'nav.regions',
    icon: <GlobalOutlined />,
    permission: 'region:read',
    component: lazy(() => import('../features/regions/region-explorer-page.tsx')),
  },
  {
    key: 'organizations',
    group: 'cloud',
    labelKey: 'nav.organizations',
    icon: <ApartmentOutlined />,
    permission: 'org:read',
    component: lazy(() => import('../features/organizations/organizations-page.tsx')),
  },
  {
    key: 'users',
    group: 'cloud',
    labelKey: 'nav.users',
    icon: <TeamOutlined />,
    permission: 'user:read',
    component: lazy(() => import('../features/users/users-page.tsx')),
  },
  {
    key: 'twin',
    group: 'data',
    labelKey: 'nav.twin',
    icon: <DeploymentUnitOutlined />,
    permission: 'twin:read',
    component: lazy(() => import('../features/twin/twin-page.tsx')),
  },
  {
    key: 'datasets',
    group: 'data',
    labelKey: 'nav.datasets',
    icon: <DatabaseOutlined />,
    permission: 'dataset:read',
    component: lazy(() => import('../features/datasets/datasets-page.tsx')),
  },
  {
    key: 'dispatch-center',
    group: 'dispatch',
    labelKey: 'nav.dispatchCenter',
    icon: <AimOutlined />,
    permission: 'incident:read',
    component: lazy(() => import('../features/dispatch-center/dispatch-center-page.tsx')),
  },
  {
    key: 'resources',
    group: 'dispatch',
    labelKey: 'nav.resources',
    icon: <AlertOutlined />,
    permission: 'resource:read',
    component: lazy(() => import('../features/resources/resources-page.tsx')),
  },
  {
    key: 'incidents',
    group: 'dispatch',
    labelKey: 'nav.incidents',
    icon: <WarningOutlined />,
    permission: 'incident:read',
    component: lazy(() => import('../features/incidents/incidents-page.tsx')),
  },
  {
    key: 'plans',
    group: 'dispatch',
    labelKey: 'nav.plans',
    icon: <FileProtectOutlined />,
    permission: 'plan:read',
    component: lazy(() => import('../features/plans/plans-page.tsx')),
  },
  {
    key: 'warnings',
    group: 'dispatch',
    labelKey: 'nav.warnings',
    icon: <NotificationOutlined />,
    permission: 'warning:read',
    component: lazy(() => import('../features/warnings/warnings-page.tsx')),
  },
  {
    key: 'simulation',
    group: 'dispatch',
    labelKey: 'nav.simulation',
    icon: <ExperimentOutlined />,
    permission: 'plan:read',
    component: lazy(() => import('../features/simulation/simulation-page.tsx')),
  },
  {
    key: 'tasks',
    group: 'collaboration',
    labelKey: 'nav.tasks',
    icon: <CarryOutOutlined />,
    permission: 'task:read',
    component: lazy(() => import('../features/tasks/tasks-page.tsx')),
  },
  {
    key: 'policies',
    group: 'collaboration',
    labelKey: 'nav.policies',
    icon: <ProfileOutlined />,
    permission: 'policy:read',
    component: lazy(() => import('../features/policies/policies-page.tsx')),
  },
  {
    key: 'service-market',
    group: 'collaboration',
    labelKey: 'nav.serviceMarket',
    icon: <ShopOutlined />,
    permission: 'task:read',
    component: lazy(() => import('../features/service-market/service-market-page.tsx')),
  },
  {
    key: 'audit',
    group: 'security',
    labelKey: 'nav.audit',
    icon: <AuditOutlined />,
    permission: 'audit:read',
    component: lazy(() => import('../features/audit/audit-page.tsx')),
  },
];

/** The routes `permissions` may open, in menu order. */
export function allowedRoutes(permissions: readonly string[]): RouteDef[] {
  return ROUTES.filter((r) => permissions.includes(r.permission));
}
