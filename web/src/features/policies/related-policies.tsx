// SPDX-License-Identifier: Apache-2.0
// The reverse of the five linkages: the policies an indicator's goals or an organization's tasks serve, each
// with how its goals stand and the tasks involved, linking to the policy page.
import { Empty, List, Progress, Tag, Typography } from 'antd';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { POLICY_STATUS_COLORS, policiesApi } from './policies-api.ts';

type Props = { by: { indicator: string } | { organization: string } };

export function RelatedPolicies({ by }: Props) {
  const { t } = useI18n();
  const key = 'indicator' in by ? `i:${by.indicator}` : `o:${by.organization}`;
  const related = useAsync((signal) => policiesApi.linkageFrom(by, signal), [key]);
  if (related.error !== undefined) return <ErrorAlert error={related.error} onRetry={related.reload} />;
  if (!related.data) return <Loading minHeight={120} />;
  if (related.data.items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="related-policies-empty">{t('policy.related.empty')}</span>} />;
  return (
    <List
      data-testid="related-policies"
      size="small"
      dataSource={related.data.items}
      renderItem={(l) => {
        const goals = 'indicator' in by ? l.goals.filter((g) => g.indicatorCode === by.indicator) : l.goals;
        const org = 'organization' in by ? l.organizations.find((o) => o.id === by.organization) : undefined;
        const done = org ? org.done : l.tasks.counts.done;
        const total = org ? org.tasks : l.tasks.counts.total;
        return (
          <List.Item key={l.policy.id}>
            <div style={{ width: '100%' }}>
              <div>
                <a href={`#/policies/${encodeURIComponent(l.policy.code)}/linkage`} data-testid="related-policy-link">{l.policy.title}</a>{' '}
                <Tag color={POLICY_STATUS_COLORS[l.policy.status]} style={{ marginInlineStart: 4 }}>{t(`policy.status.${l.policy.status}`)}</Tag>
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {l.policy.code} · {t('policy.related.goals', { n: goals.length, onTarget: goals.filter((g) => g.onTarget === true).length, behind: goals.filter((g) => g.onTarget === false).length })}
              </Typography.Text>
              {total > 0 && <Progress percent={Math.round((100 * done) / total)} size="small" format={() => `${done}/${total}`} />}
            </div>
          </List.Item>
        );
      }}
    />
  );
}
