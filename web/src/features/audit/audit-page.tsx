// SPDX-License-Identifier: Apache-2.0
// 审计日志: the append-only, hash-chained record, newest first, and a check of the whole chain.
import { ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Input, Select, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditRecord, AuditVerification } from '../../../../contracts/audit.ts';
import type { PageProps } from '../../app/routes.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebounced } from '../../lib/use-async.ts';
import { auditApi } from './audit-api.ts';
import { tablePagination } from '../../lib/paging.ts';

type Outcome = AuditRecord['outcome'];
const OUTCOME_COLOR: Record<Outcome, string> = { success: 'green', denied: 'orange', failure: 'red' };
const OUTCOMES = Object.keys(OUTCOME_COLOR) as Outcome[];

const ACTION_LABELS: Record<string, MessageKey> = {
  'auth.login': 'action.auth.login',
  'auth.login-failed': 'action.auth.login-failed',
  'auth.account-locked': 'action.auth.account-locked',
  'auth.logout': 'action.auth.logout',
  'access.denied': 'action.access.denied',
  'user.created': 'action.user.created',
  'user.updated': 'action.user.updated',
  'user.grants-changed': 'action.user.grants-changed',
  'user.unlocked': 'action.user.unlocked',
  'user.password-changed': 'action.user.password-changed',
  'organization.created': 'action.organization.created',
  'organization.updated': 'action.organization.updated',
  'region.updated': 'action.region.updated',
  'region.changed': 'action.region.changed',
  'region.imported': 'action.region.imported',
  'region.boundaries-imported': 'action.region.boundaries-imported',
  'classification.changed': 'action.classification.changed',
  'token.created': 'action.token.created',
  'token.revoked': 'action.token.revoked',
  'demo.seeded': 'action.demo.seeded',
  'dataset.created': 'action.dataset.created',
  'dataset.published': 'action.dataset.published',
  'dataset.correction-proposed': 'action.dataset.correction-proposed',
  'dataset.correction-accepted': 'action.dataset.correction-accepted',
  'dataset.correction-rejected': 'action.dataset.correction-rejected',
};

/** The readable name a record's details give its subject (a username, an organization name), if any. */
function subjectOf(r: AuditRecord): string | null {
  for (const key of ['username', 'name', 'code']) {
    const value = r.details[key];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 4)}…` : s;
}

type Verification = { status: 'idle' } | { status: 'running' } | { status: 'done'; result: AuditVerification } | { status: 'failed'; error: unknown };

export default function AuditPage(_props: PageProps) {
  const { t, lang } = useI18n();
  const [action, setAction] = useState('');
  const [q, setQ] = useState('');
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const debouncedAction = useDebounced(action.trim(), 300);
  const query = useDebounced(q.trim(), 300);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [verification, setVerification] = useState<Verification>({ status: 'idle' });

  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [debouncedAction, query, outcome]);

  const list = useAsync(
    (signal) =>
      auditApi.list(
        { action: debouncedAction || undefined, q: query || undefined, outcome },
        page.pageSize,
        (page.current - 1) * page.pageSize,
        signal,
      ),
    [debouncedAction, query, outcome, page.current, page.pageSize],
  );

  const verify = async () => {
    setVerification({ status: 'running' });
    try {
      setVerification({ status: 'done', result: await auditApi.verify() });
    } catch (error) {
      setVerification({ status: 'failed', error });
    }
  };

  const columns: TableColumnsType<AuditRecord> = [
    { key: 'seq', title: t('audit.seq'), dataIndex: 'seq', width: 80, fixed: 'left' },
    { key: 'at', title: t('audit.at'), width: 170, render: (_, r) => formatDateTime(r.at, lang) },
    {
      key: 'actor',
      title: t('audit.actor'),
      width: 130,
      render: (_, r) => r.actorName ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      key: 'action',
      title: t('audit.action'),
      width: 180,
      render: (_, r) => {
        const label = ACTION_LABELS[r.action];
        return (
          <Flex vertical align="flex-start" gap={2}>
            <Tag variant="filled" color="processing" className="yz-mono" data-testid="audit-action">
              {r.action}
            </Tag>
            {label && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(label)}
              </Typography.Text>
            )}
          </Flex>
        );
      },
    },
    {
      key: 'resource',
      title: t('audit.resource'),
      width: 240,
      render: (_, r) => {
        if (!r.resourceType) return t('common.none');
        const label = subjectOf(r);
        return (
          <Tooltip title={r.resourceId}>
            <span data-testid="audit-resource">
              {r.resourceType}
              {(label ?? r.resourceId) && (
                <Typography.Text type="secondary" className={label ? undefined : 'yz-mono'} style={{ fontSize: 12 }}>
                  {' · '}
                  {label ?? shorten(r.resourceId ?? '', 12)}
                </Typography.Text>
              )}
            </span>
          </Tooltip>
        );
      },
    },
    { key: 'region', title: t('audit.region'), width: 130, render: (_, r) => <span className="yz-mono">{r.regionCode ?? t('common.none')}</span> },
    {
      key: 'outcome',
      title: t('audit.outcome'),
      width: 90,
      render: (_, r) => (
        <Tag color={OUTCOME_COLOR[r.outcome]} data-testid="audit-outcome">
          {t(`audit.outcome.${r.outcome}`)}
        </Tag>
      ),
    },
    { key: 'reason', title: t('audit.reason'), ellipsis: true, render: (_, r) => r.reason ?? t('common.none') },
    {
      key: 'requestId',
      title: t('audit.requestId'),
      width: 150,
      render: (_, r) =>
        r.requestId ? (
          <Typography.Text className="yz-mono" style={{ fontSize: 12 }} copyable={{ text: r.requestId }}>
            {shorten(r.requestId, 14)}
          </Typography.Text>
        ) : (
          t('common.none')
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.subtitle')}
        extra={
          <>
            <Button icon={<ReloadOutlined />} onClick={list.reload} />
            <Button
              type="primary"
              icon={<SafetyCertificateOutlined />}
              loading={verification.status === 'running'}
              onClick={verify}
              data-testid="audit-verify"
            >
              {verification.status === 'running' ? t('audit.verifying') : t('audit.verify')}
            </Button>
          </>
        }
      />
      {verification.status === 'done' && (
        <Alert
          className="yz-mb-16"
          showIcon
          closable={{ onClose: () => setVerification({ status: 'idle' }) }}
          data-testid="audit-verify-result"
          data-ok={String(verification.result.ok)}
          type={verification.result.ok ? 'success' : 'error'}
          title={verification.result.ok ? t('audit.verifyOk') : t('audit.verifyBroken')}
          description={
            verification.result.ok || !verification.result.firstBroken
              ? t('audit.verifyOkDetail', { checked: verification.result.checked })
              : t('audit.verifyBrokenDetail', {
                  seq: verification.result.firstBroken.seq,
                  reason: verification.result.firstBroken.reason,
                  checked: verification.result.checked,
                })
          }
        />
      )}
      {verification.status === 'failed' && <ErrorAlert error={verification.error} onRetry={verify} className="yz-mb-16" />}
      <Card size="small">
        <Flex gap={12} wrap style={{ marginBottom: 12 }}>
          <Input
            allowClear
            placeholder={t('audit.actionPlaceholder')}
            value={action}
            onChange={(e) => setAction(e.target.value)}
            style={{ width: 220 }}
            className="yz-mono"
            data-testid="audit-action-filter"
          />
          <Select<Outcome>
            allowClear
            placeholder={t('audit.outcome')}
            value={outcome}
            onChange={(o) => setOutcome(o ?? undefined)}
            style={{ width: 140 }}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
          />
          <Input.Search
            allowClear
            placeholder={t('audit.searchPlaceholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            style={{ width: 280 }}
            data-testid="audit-search"
          />
        </Flex>
        {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
        <Table<AuditRecord>
          data-testid="audit-table"
          rowKey="seq"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.loading}
          scroll={{ x: 1400 }}
          expandable={{
            expandedRowRender: (r) => (
              <Descriptions
                size="small"
                column={1}
                bordered
                items={[
                  { key: 'ip', label: t('audit.ip'), children: r.ip ?? t('common.none') },
                  { key: 'requestId', label: t('audit.requestId'), children: <span className="yz-mono">{r.requestId ?? t('common.none')}</span> },
                  { key: 'resourceId', label: t('audit.resource'), children: <span className="yz-mono">{`${r.resourceType ?? ''} ${r.resourceId ?? ''}`}</span> },
                  {
                    key: 'details',
                    label: t('audit.details'),
                    children: <pre className="yz-pre">{JSON.stringify(r.details, null, 2)}</pre>,
                  },
                  {
                    key: 'hash',
                    label: `${t('audit.hash')} (${r.algorithm.toUpperCase()})`,
                    children: <Typography.Text className="yz-mono" style={{ fontSize: 12 }} copyable>{r.hash}</Typography.Text>,
                  },
                ]}
              />
            ),
          }}
          pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
        />
      </Card>
    </>
  );
}
