// SPDX-License-Identifier: Apache-2.0
// One indicator alert: the value that crossed the threshold, the analysis plan it opened (its tasks by
// title, its incident), its notes, and the actions a writer may take.
import { Button, Descriptions, Drawer, Empty, Flex, Result, Space, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { IndicatorAlert } from '../../../../contracts/indicators.ts';
import { navigate } from '../../app/router.ts';
import { useCan } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { type Translate, useI18n } from '../../i18n/i18n.tsx';
import { ApiError } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { TaskStatusTag } from '../tasks/task-labels.tsx';
import { tasksApi } from '../tasks/tasks-api.ts';
import type { AlertActionName } from './alert-action-dialog.tsx';
import { AlertLevelTag, AlertStatusTag, formatIndicatorValue, RegionLabel } from './indicator-labels.tsx';
import { indicatorsApi } from './indicators-api.ts';

type Props = {
  id: string | null;
  nameOf: (a: Pick<IndicatorAlert, 'indicatorCode' | 'indicatorName'>) => string;
  onClose: () => void;
  onAct: (alert: IndicatorAlert, action: AlertActionName) => void;
  /** Changes when an action was taken, to load the alert again. */
  tick: number;
};

export function AlertDrawer({ id, nameOf, onClose, onAct, tick }: Props) {
  const { t } = useI18n();
  const can = useCan();
  const [shownId, setShownId] = useState(id);
  useEffect(() => {
    if (id !== null) setShownId(id);
  }, [id]);
  const alert = useAsync((signal) => (shownId ? indicatorsApi.alert(shownId, signal) : undefined), [shownId, tick]);
  const a = alert.data?.id === shownId ? alert.data : undefined;

  const body = () => {
    if (alert.error !== undefined && !a) {
      const status = alert.error instanceof ApiError ? alert.error.status : 0;
      return status === 404 || status === 403 ? (
        <Result status={status === 404 ? '404' : '403'} title={t(status === 404 ? 'indicator.alertNotFound' : 'problem.403')} />
      ) : (
        <ErrorAlert error={alert.error} onRetry={alert.reload} />
      );
    }
    if (!a) return <Loading minHeight={300} />;
    return <Details a={a} />;
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={640}
      data-testid="alert-drawer"
      title={
        a ? (
          <Flex gap={8} align="center" wrap>
            <AlertLevelTag level={a.level} />
            <span data-testid="alert-drawer-title">{nameOf(a)}</span>
            <AlertStatusTag status={a.status} />
          </Flex>
        ) : (
          t('indicator.alertTitle')
        )
      }
    >
      {a && can('indicator:write') && (
        <Space wrap className="yz-mb-16" data-testid="alert-drawer-actions">
          {a.status === 'open' && (
            <Button type="primary" onClick={() => onAct(a, 'acknowledge')} data-testid="alert-drawer-acknowledge">
              {t('indicator.alertAction.acknowledge')}
            </Button>
          )}
          {a.status !== 'closed' && (
            <Button onClick={() => onAct(a, 'close')} data-testid="alert-drawer-close">
              {t('indicator.alertAction.close')}
            </Button>
          )}
          <Button onClick={() => onAct(a, 'comment')} data-testid="alert-drawer-comment">
            {t('indicator.alertAction.comment')}
          </Button>
        </Space>
      )}
      {body()}
    </Drawer>
  );
}

function Details({ a }: { a: IndicatorAlert }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const tasks = useAsync(
    (signal) => (a.taskIds.length && can('task:read') ? Promise.all(a.taskIds.map((x) => tasksApi.get(x, signal).catch(() => null))) : undefined),
    [a.id, a.taskIds.join(',')],
  );
  return (
    <Flex vertical gap={16}>
      <Descriptions size="small" column={2} bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('indicator.region')}>
          <RegionLabel code={a.regionCode} name={a.regionName} />
        </Descriptions.Item>
        <Descriptions.Item label={t('indicator.period')}>{a.period}</Descriptions.Item>
        <Descriptions.Item label={t('indicator.value')}>
          <Typography.Text strong type={a.level === 'alarm' ? 'danger' : 'warning'}>{formatIndicatorValue(a.value, a.unit, lang)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('indicator.threshold')}>{formatIndicatorValue(a.threshold, a.unit, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('indicator.raisedAt')}>{formatDateTime(a.raisedAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('indicator.updatedAt')}>{formatDateTime(a.updatedAt, lang)}</Descriptions.Item>
        {a.closedAt && (
          <Descriptions.Item label={t('indicator.closedAtLabel')} span={2}>
            {formatDateTime(a.closedAt, lang)}
            {a.closedReason ? ` · ${closedReasonText(a.closedReason, t)}` : ''}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('indicator.indicator')} span={2}>
          <Typography.Link onClick={() => navigate(`/indicators/${encodeURIComponent(a.indicatorCode)}/${a.regionCode}`)} data-testid="alert-indicator-link">
            {a.indicatorCode}
          </Typography.Link>
        </Descriptions.Item>
      </Descriptions>
      <div>
        <Typography.Title level={5}>{t('indicator.plan')}</Typography.Title>
        {!a.planOpened && a.taskIds.length === 0 && !a.incidentId ? (
          <Typography.Text type="secondary">{t('indicator.planNotOpened')}</Typography.Text>
        ) : (
          <Flex vertical gap={6} data-testid="alert-drawer-plan">
            {a.taskIds.map((x, i) => {
              const task = tasks.data?.[i];
              return (
                <Flex key={x} gap={6} align="center">
                  {task && <TaskStatusTag status={task.status} />}
                  {can('task:read') ? (
                    <Typography.Link onClick={() => navigate(`/tasks/${x}`)} data-testid="alert-drawer-task" data-id={x}>
                      {task?.title ?? (tasks.loading ? t('common.loading') : `${t('indicator.task')} #${i + 1}`)}
                    </Typography.Link>
                  ) : (
                    <Typography.Text>{`${t('indicator.task')} #${i + 1}`}</Typography.Text>
                  )}
                  {task && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{task.organizationName}</Typography.Text>}
                </Flex>
              );
            })}
            {a.incidentId &&
              (can('incident:read') ? (
                <Typography.Link onClick={() => navigate(`/incidents/${a.incidentId}`)} data-testid="alert-drawer-incident">
                  {t('indicator.openIncident')}
                </Typography.Link>
              ) : (
                <Typography.Text type="secondary">{t('indicator.hasIncident')}</Typography.Text>
              ))}
          </Flex>
        )}
      </div>
      <div>
        <Typography.Title level={5}>{t('indicator.notes')}</Typography.Title>
        {a.notes.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('indicator.noNotes')} />
        ) : (
          <Timeline
            data-testid="alert-notes"
            items={a.notes.map((n, i) => ({
              key: i,
              content: (
                <Flex vertical>
                  <span>
                    <Typography.Text strong>{t(isNoteAction(n.action) ? `indicator.noteAction.${n.action}` : 'indicator.noteAction.other')}</Typography.Text>
                    <Typography.Text type="secondary"> · {n.by === 'system' ? t('indicator.bySystem') : n.by} · {formatDateTime(n.at, lang)}</Typography.Text>
                  </span>
                  {n.note && SHOWS_NOTE.has(n.action) && <span>{n.note}</span>}
                </Flex>
              ),
            }))}
          />
        )}
      </div>
    </Flex>
  );
}

/** What the notes of an alert record: people's actions, and what the platform did. */
const NOTE_ACTIONS = ['acknowledge', 'close', 'comment', 'plan-opened', 'closed', 'incident-reported', 'incident-failed'] as const;
type NoteAction = (typeof NOTE_ACTIONS)[number];
/** Notes written by people (and the reason an incident could not be reported); the platform's others are implied by the action. */
const SHOWS_NOTE = new Set<string>(['acknowledge', 'close', 'comment', 'incident-failed']);

function isNoteAction(a: string): a is NoteAction {
  return (NOTE_ACTIONS as readonly string[]).includes(a);
}

/** The platform's own reasons for closing, in the chosen language; a person's reason as written. */
function closedReasonText(reason: string, t: Translate): string {
  switch (reason) {
    case 'back within thresholds':
      return t('indicator.closedReason.recovered');
    case 'no value':
      return t('indicator.closedReason.noValue');
    case 'closed by hand':
      return t('indicator.closedReason.byHand');
    default:
      return reason;
  }
}
