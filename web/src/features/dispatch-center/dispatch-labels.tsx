// SPDX-License-Identifier: Apache-2.0
// Tags of dispatch orders and activations, and the names of resource types in the chosen language.
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { ActivationStatus, DispatchOrder, OrderStatus } from '../../../../contracts/dispatch-activations.ts';
import type { ResourceType } from '../../../../contracts/dispatch-resources.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { resourcesApi } from '../resources/resources-api.ts';
import { ORDER_STATUS_COLORS } from './dispatch-api.ts';

export function OrderStatusTag({ order }: { order: DispatchOrder }) {
  const { t, lang } = useI18n();
  const times: Array<[OrderStatus, string | null]> = [
    ['sent', order.sentAt],
    ['acknowledged', order.acknowledgedAt],
    ['en_route', order.enRouteAt],
    ['on_scene', order.onSceneAt],
    ['released', order.releasedAt],
  ];
  return (
    <Tooltip
      title={
        <div>
          {times.filter(([, at]) => at).map(([s, at]) => (
            <div key={s}>{t(`order.status.${s}`)} · {formatDateTime(at, lang)}</div>
          ))}
        </div>
      }
    >
      <Tag color={ORDER_STATUS_COLORS[order.status]} data-testid="order-status" data-status={order.status} style={{ marginInlineEnd: 0 }}>
        {t(`order.status.${order.status}`)}
      </Tag>
    </Tooltip>
  );
}

export function ActivationStatusTag({ status }: { status: ActivationStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={status === 'active' ? 'red' : 'default'} data-testid="activation-status" data-status={status}>
      {t(`activation.status.${status}`)}
    </Tag>
  );
}

/** 借调: a resource sent from another region than the incident's. */
export function BorrowedTag({ from }: { from?: string | null }) {
  const { t } = useI18n();
  return (
    <Tag color="gold" data-testid="borrowed-tag" style={{ marginInlineEnd: 0 }}>
      {from ? t('dispatch.borrowedFrom', { region: from }) : t('dispatch.borrowed')}
    </Tag>
  );
}

let typesPromise: Promise<ResourceType[]> | null = null;

/** The resource type catalog (loaded once per page load). */
function loadTypes(): Promise<ResourceType[]> {
  if (!typesPromise) {
    typesPromise = resourcesApi.types().then(
      (r) => r.items,
      () => {
        typesPromise = null;
        return [];
      },
    );
  }
  return typesPromise;
}

export type ResourceTypeInfo = { name: (code: string) => string; unit: (code: string) => string; isStock: (code: string) => boolean };

/** Names, units and stock flags of resource types, by code; the code itself until the catalog is loaded. */
export function useResourceTypes(): ResourceTypeInfo {
  const { lang } = useI18n();
  const [types, setTypes] = useState<ResourceType[]>([]);
  useEffect(() => {
    let live = true;
    void loadTypes().then((x) => live && setTypes(x));
    return () => {
      live = false;
    };
  }, []);
  const find = (code: string) => types.find((x) => x.code === code);
  return {
    name: (code) => {
      const x = find(code);
      return x ? (lang === 'en' ? x.nameEn : x.nameZh) : code;
    },
    unit: (code) => find(code)?.unit ?? '',
    isStock: (code) => find(code)?.isStock ?? false,
  };
}
