// SPDX-License-Identifier: Apache-2.0
// An indicator's definition in words: the formula (numerator ÷ denominator × factor), how regions roll up,
// which way is better, the thresholds, and the analysis plan a crossing opens.
import { Descriptions, Flex, List, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import type { Indicator, IndicatorSource } from '../../../../contracts/indicators.ts';
import { useCan } from '../../app/session.tsx';
import type { Translate } from '../../i18n/i18n.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { incidentsApi } from '../incidents/incidents-api.ts';
import { formatIndicatorValue } from './indicator-labels.tsx';

/** What a numerator or denominator counts, in words (`typeName` names an incident type or category). */
export function sourceText(s: IndicatorSource, t: Translate, typeName: (code: string) => string = (c) => c): string {
  switch (s.kind) {
    case 'incidents': {
      const parts = [t(`indicator.src.incidents.${s.measure}`)];
      if (s.type) parts.push(t('indicator.src.ofType', { type: typeName(s.type) }));
      if (s.grades?.length) parts.push(t('indicator.src.grades', { grades: s.grades.join('/') }));
      return parts.join(t('common.listSeparator'));
    }
    case 'tasks': {
      const parts = [t(`indicator.src.tasks.${s.measure}`), t(`indicator.src.periodBy.${s.periodBy}`)];
      if (s.taskKind) parts.push(t(`task.kind.${s.taskKind}`));
      if (s.source) parts.push(t(`indicator.src.taskSource.${s.source}`));
      if (s.titleContains) parts.push(t('indicator.src.titleContains', { text: s.titleContains }));
      if (s.policyId || s.goalId) parts.push(t('indicator.src.ofPolicy'));
      return parts.join(t('common.listSeparator'));
    }
    case 'twin':
      return t(`indicator.src.twin.${s.aggregate}`, { type: s.entityType, attr: s.attribute });
    case 'population':
      return t('indicator.src.population', { level: t(`level.${s.level}`) });
    case 'regions':
      return t('indicator.src.regions', { level: t(`level.${s.level}`) });
    case 'reported':
      return t('indicator.src.reported', { level: t(`level.${s.level}`) });
  }
}

/** numerator ÷ denominator × factor, with the components named. */
export function formulaText(ind: Pick<Indicator, 'denominator' | 'factor'>, t: Translate, lang: 'zh-CN' | 'en'): string {
  const base = ind.denominator ? `${t('indicator.numerator')} ÷ ${t('indicator.denominator')}` : t('indicator.numerator');
  return ind.factor === 1 ? base : `${base} × ${formatNumber(ind.factor, lang)}`;
}

/** The name of incident types and categories, for those who may read incidents (the code otherwise). */
function useIncidentTypeName(wanted: boolean): (code: string) => string {
  const { lang } = useI18n();
  const can = useCan();
  const types = useAsync((signal) => (wanted && can('incident:read') ? incidentsApi.types(signal) : undefined), [wanted, can]);
  return useCallback(
    (code: string) => {
      const ty = types.data?.find((x) => x.code === code);
      return ty ? (lang === 'en' ? ty.nameEn : ty.name) : code;
    },
    [types.data, lang],
  );
}

export function IndicatorDefinition({ ind }: { ind: Indicator }) {
  const { t, lang } = useI18n();
  const typeName = useIncidentTypeName([ind.numerator, ind.denominator].some((s) => s?.kind === 'incidents' && s.type));
  const fmt = (v: number | null) => formatIndicatorValue(v, ind.unit, lang);
  return (
    <div data-testid="indicator-definition">
      <Descriptions size="small" column={1} bordered styles={{ label: { whiteSpace: 'nowrap', width: 96 } }}>
        <Descriptions.Item label={t('indicator.formula')}>
          <Typography.Text strong data-testid="indicator-formula">{formulaText(ind, t, lang)}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('indicator.numerator')}>
          <span data-testid="indicator-numerator">{sourceText(ind.numerator, t, typeName)}</span>
        </Descriptions.Item>
        {ind.denominator && (
          <Descriptions.Item label={t('indicator.denominator')}>
            <span data-testid="indicator-denominator">{sourceText(ind.denominator, t, typeName)}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('indicator.unit')}>{ind.unit || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('indicator.periodAndRollUp')}>
          {t(`indicator.periodKind.${ind.period}`)} · {t(`indicator.aggregation.${ind.aggregation}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('indicator.direction')}>{t(`indicator.direction.${ind.direction}`)}</Descriptions.Item>
        <Descriptions.Item label={t('indicator.thresholds')}>
          {ind.warn === null && ind.alarm === null ? (
            t('indicator.noThresholds')
          ) : (
            <Flex gap={6} wrap>
              {ind.warn !== null && <Tag color="orange">{t('indicator.warn')} {fmt(ind.warn)}</Tag>}
              {ind.alarm !== null && <Tag color="red">{t('indicator.alarm')} {fmt(ind.alarm)}</Tag>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('indicator.alertLevels', { levels: ind.alertLevels.map((l) => t(`level.${l}`)).join(t('common.listSeparator')) })}
              </Typography.Text>
            </Flex>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('indicator.owner')}>{ind.ownerOrganizationName}</Descriptions.Item>
        <Descriptions.Item label={t('indicator.version')}>
          v{ind.version} · {ind.lastComputedAt ? t('indicator.computedAt', { at: formatDateTime(ind.lastComputedAt, lang) }) : t('indicator.neverComputed')}
        </Descriptions.Item>
        {ind.description && <Descriptions.Item label={t('indicator.description')}>{ind.description}</Descriptions.Item>}
      </Descriptions>
    </div>
  );
}

/** The analysis plan a threshold crossing opens: what to check, the tasks and the incident. */
export function AnalysisPlanView({ ind }: { ind: Indicator }) {
  const { t } = useI18n();
  const plan = ind.analysisPlan;
  const typeName = useIncidentTypeName(Boolean(plan?.incident));
  return (
    <div data-testid="indicator-plan">
      {!plan ? (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{t('indicator.noPlan')}</Typography.Paragraph>
      ) : (
        <Flex vertical gap={6}>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {t('indicator.planOn', { level: t(`indicator.alertLevel.${plan.on}`) })}
          </Typography.Text>
          {plan.checks.length > 0 && (
            <List
              size="small"
              header={<Typography.Text type="secondary">{t('indicator.planChecks')}</Typography.Text>}
              dataSource={plan.checks}
              renderItem={(c, i) => <List.Item style={{ padding: '4px 0' }}>{i + 1}. {c}</List.Item>}
            />
          )}
          {plan.tasks.length > 0 && (
            <List
              size="small"
              header={<Typography.Text type="secondary">{t('indicator.planTasks')}</Typography.Text>}
              dataSource={plan.tasks}
              renderItem={(x) => (
                <List.Item style={{ padding: '4px 0' }}>
                  <Flex vertical>
                    <span>{x.title}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`dept.${x.departmentType}`)} · {t('indicator.planDeadline', { hours: x.deadlineHours })}
                    </Typography.Text>
                  </Flex>
                </List.Item>
              )}
            />
          )}
          {plan.incident && (
            <Typography.Text style={{ fontSize: 13 }}>
              {t('indicator.planIncident', { type: typeName(plan.incident.type), grade: t(`incident.grade.${plan.incident.grade}`) })}
            </Typography.Text>
          )}
        </Flex>
      )}
    </div>
  );
}
