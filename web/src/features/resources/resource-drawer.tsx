// SPDX-License-Identifier: Apache-2.0
// One resource: its details, its agreement, status changes and its reservations (released here).
import { App, Button, Descriptions, Drawer, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorMessage } from '../../lib/api.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { resourcesApi, STATUS_COLORS } from './resources-api.ts';

type Props = { id: string | null; onClose: () => void; onChanged: () => void };

/** The drawer of the resource `id` (closed when null). */
export function ResourceDrawer({ id, onClose, onChanged }: Props) {
  const { t, lang } = useI18n();
  const can = useCan();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const resource = useAsync((signal) => (id ? resourcesApi.get(id, signal) : undefined), [id, tick]);
  const reservations = useAsync((signal) => (id ? resourcesApi.reservations(id, signal) : undefined), [id, tick]);
  const r = resource.data && resource.data.id === id ? resource.data : undefined;

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      message.success(done);
      setTick((x) => x + 1);
      onChanged();
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={id !== null} onClose={onClose} size={520} title={r?.name ?? t('resource.title')} destroyOnHidden data-testid="resource-drawer">
      {resource.error !== undefined && <ErrorAlert error={resource.error} onRetry={resource.reload} />}
      {!r && resource.error === undefined && <Loading />}
      {r && (
        <Flex vertical gap={16}>
          <Space wrap>
            <Tag color={STATUS_COLORS[r.status]} data-testid="resource-status">{t(`resource.status.${r.status}`)}</Tag>
            <Tag>{r.typeName}</Tag>
            <Tag color={r.ownerKind === 'social' ? 'lime' : 'geekblue'}>{t(`resource.ownerKind.${r.ownerKind}`)}</Tag>
            {!r.offered && <Tag color="red">{t('resource.notOffered')}</Tag>}
          </Space>
          {can('resource:write') && (r.status === 'available' || r.status === 'unavailable') && (
            <Space>
              {r.status === 'available' ? (
                <Button danger loading={busy} onClick={() => act(() => resourcesApi.setStatus(r.id, 'unavailable'), t('resource.statusChanged'))} data-testid="resource-take-offline">
                  {t('resource.takeOffline')}
                </Button>
              ) : (
                <Button type="primary" loading={busy} onClick={() => act(() => resourcesApi.setStatus(r.id, 'available'), t('resource.statusChanged'))} data-testid="resource-put-back">
                  {t('resource.putBack')}
                </Button>
              )}
            </Space>
          )}
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('resource.type')}>{`${r.typeName} (${r.type})`}</Descriptions.Item>
            <Descriptions.Item label={t('resource.owner')}>{r.ownerOrganizationName ?? r.ownerOrganizationId}</Descriptions.Item>
            <Descriptions.Item label={t('resource.region')}>{r.regionName ?? r.regionCode}</Descriptions.Item>
            {r.isStock && (
              <Descriptions.Item label={t('resource.quantity')}>
                {`${formatNumber(r.quantityAvailable, lang)} / ${formatNumber(r.quantityTotal, lang)} ${r.unit}`}
              </Descriptions.Item>
            )}
            {r.capacity !== null && <Descriptions.Item label={t('resource.capacity')}>{formatNumber(r.capacity, lang)}</Descriptions.Item>}
            <Descriptions.Item label={t('resource.capabilities')}>
              {r.capabilities.length ? r.capabilities.map((c) => <Tag key={c}>{c}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('resource.location')}>
              <span className="yz-mono">{`${r.location[0].toFixed(5)}, ${r.location[1].toFixed(5)}`}</span>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{formatDateTime(r.positionAt, lang)}</Typography.Text>
            </Descriptions.Item>
            {r.agreement && (
              <Descriptions.Item label={t('resource.agreement')}>
                {`${r.agreement.number} · ${r.agreement.validFrom} – ${r.agreement.validTo}`}
                {r.agreement.responseMinutes !== null && ` · ${t('resource.responseMinutes', { minutes: r.agreement.responseMinutes })}`}
              </Descriptions.Item>
            )}
            {r.description && <Descriptions.Item label={t('resource.description')}>{r.description}</Descriptions.Item>}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('resource.reservations')}</Typography.Title>
            {reservations.error !== undefined && <ErrorAlert error={reservations.error} onRetry={reservations.reload} />}
            <List
              size="small"
              loading={reservations.loading}
              dataSource={reservations.data?.items ?? []}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('resource.noReservations')} /> }}
              renderItem={(v) => (
                <List.Item
                  extra={
                    can('resource:dispatch') && v.status !== 'released' ? (
                      <Button size="small" loading={busy} onClick={() => act(() => resourcesApi.release(v.id), t('resource.released'))} data-testid="reservation-release">
                        {t('resource.release')}
                      </Button>
                    ) : undefined
                  }
                >
                  <Flex vertical>
                    <span>
                      <Tag>{t(`resource.reservation.${v.status}`)}</Tag>
                      {v.requestRef}
                      {v.isStock && ` · ${formatNumber(v.quantity, lang)} ${r.unit}`}
                    </span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(v.reservedAt, lang)}</Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          </div>
        </Flex>
      )}
    </Drawer>
  );
}
