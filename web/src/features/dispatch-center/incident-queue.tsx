// SPDX-License-Identifier: Apache-2.0
// The queue of open incidents, most urgent first: the grade, overdue work, then the nearest deadline.
import { Checkbox, Empty, Flex, Input, Select, Tag, TreeSelect, Typography } from 'antd';
import { useMemo } from 'react';
import type { Activation } from '../../../../contracts/dispatch-activations.ts';
import { GRADES, type Incident, type IncidentType } from '../../../../contracts/dispatch-incidents.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatShortDateTime } from '../../lib/format.ts';
import { GradeTag, StatusTag } from '../incidents/incident-labels.tsx';

/** Filters of the queue (the statuses are always the open ones). */
export type QueueFilter = { q: string; type?: string; grade?: string; exercise?: 'true' | 'false'; overdue?: boolean };

const GRADE_RANK: Record<string, number> = { I: 0, II: 1, III: 2, IV: 3 };

/** The deadline of the stage an open incident is in. */
export function dueOf(i: Incident): string | null {
  return i.status === 'reported' ? i.dueVerifyAt : i.status === 'verified' ? i.dueRespondAt : i.status === 'responding' ? i.dueResolveAt : null;
}

/** Most urgent first: grade I before IV, overdue before on time, then the nearest deadline. */
export function byUrgency(a: Incident, b: Incident): number {
  return (
    (GRADE_RANK[a.grade] ?? 9) - (GRADE_RANK[b.grade] ?? 9) ||
    Number(b.overdue) - Number(a.overdue) ||
    (dueOf(a) ?? '9').localeCompare(dueOf(b) ?? '9')
  );
}

type Props = {
  items: readonly Incident[];
  total: number;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  filter: QueueFilter;
  onFilter: (patch: Partial<QueueFilter>) => void;
  types: readonly IncidentType[];
  active: ReadonlyMap<string, Activation>;
  selectedId: string | null;
  onSelect: (id: string) => void;
  height: number;
};

export function IncidentQueue({ items, total, loading, error, onRetry, filter, onFilter, types, active, selectedId, onSelect, height }: Props) {
  const { t, lang } = useI18n();
  const typeTree = useMemo(() => {
    const name = (x: { name: string; nameEn: string }) => (lang === 'en' ? x.nameEn : x.name);
    return types
      .filter((c) => !c.leaf)
      .map((c) => ({ value: c.code, title: name(c), children: types.filter((x) => x.parentCode === c.code).map((x) => ({ value: x.code, title: name(x) })) }));
  }, [types, lang]);

  return (
    <Flex vertical gap={8} style={{ height }}>
      <Input.Search allowClear placeholder={t('incident.searchPlaceholder')} value={filter.q} onChange={(e) => onFilter({ q: e.target.value })} data-testid="queue-search" />
      <Flex gap={8}>
        <TreeSelect allowClear placeholder={t('incident.allTypes')} style={{ flex: 1, minWidth: 0 }} treeData={typeTree} value={filter.type} onChange={(v?: string) => onFilter({ type: v })} />
        <Select
          allowClear
          placeholder={t('incident.allGrades')}
          style={{ flex: 1, minWidth: 0 }}
          value={filter.grade}
          onChange={(v?: string) => onFilter({ grade: v })}
          options={GRADES.map((g) => ({ value: g, label: t(`incident.grade.${g}`) }))}
        />
      </Flex>
      <Flex gap={8} align="center">
        <Select
          style={{ flex: 1, minWidth: 0 }}
          value={filter.exercise ?? 'all'}
          onChange={(v: string) => onFilter({ exercise: v === 'true' || v === 'false' ? v : undefined })}
          options={[
            { value: 'all', label: t('incident.exerciseAll') },
            { value: 'false', label: t('incident.exerciseReal') },
            { value: 'true', label: t('incident.exerciseOnly') },
          ]}
          data-testid="queue-exercise"
        />
        <Checkbox checked={filter.overdue === true} onChange={(e) => onFilter({ overdue: e.target.checked || undefined })} style={{ flex: 1, minWidth: 0 }}>
          {t('dispatch.queue.overdueOnly')}
        </Checkbox>
      </Flex>
      {error !== undefined && <ErrorAlert error={error} onRetry={onRetry} />}
      <div className="yz-queue" data-testid="incident-queue" data-count={items.length}>
        {items.length === 0 ? (
          loading ? (
            <Loading minHeight={160} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="queue-empty">{t('dispatch.queue.empty')}</span>} />
          )
        ) : (
          items.map((i) => {
            const a = active.get(i.id);
            const due = dueOf(i);
            return (
              <button
                type="button"
                key={i.id}
                className={`yz-queue-item${i.id === selectedId ? ' yz-queue-item-selected' : ''}`}
                onClick={() => onSelect(i.id)}
                data-testid="queue-item"
                data-id={i.id}
                aria-pressed={i.id === selectedId}
              >
                <Flex gap={6} align="center">
                  <GradeTag grade={i.grade} />
                  <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>{i.title}</Typography.Text>
                </Flex>
                <Flex gap={4} align="center" wrap style={{ marginTop: 4 }}>
                  <StatusTag status={i.status} />
                  {a && <Tag color="red" data-testid="queue-activated">{t('dispatch.queue.activated', { level: t(`activation.levelShort.${a.level}`) })}</Tag>}
                  {i.exercise && <Tag color="purple">{t('incident.exercise')}</Tag>}
                  {i.overdue && <Tag color="red">{t('incident.overdue')}</Tag>}
                </Flex>
                <Flex justify="space-between" gap={8} style={{ marginTop: 4, fontSize: 12 }}>
                  <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, minWidth: 0 }}>
                    {(lang === 'en' ? i.typeNameEn : i.typeName)} · {i.regionName ?? i.regionCode}
                  </Typography.Text>
                  {due && (
                    <Typography.Text type={i.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                      {t('dispatch.queue.due', { at: formatShortDateTime(due, lang) })}
                    </Typography.Text>
                  )}
                </Flex>
              </button>
            );
          })
        )}
        {total > items.length && <Typography.Text type="secondary" style={{ fontSize: 12, padding: 8, display: 'block' }}>{t('dispatch.queue.truncated', { shown: items.length, total })}</Typography.Text>}
      </div>
    </Flex>
  );
}
