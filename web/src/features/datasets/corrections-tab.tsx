// SPDX-License-Identifier: Apache-2.0
// Corrections sent up from the regions: the owner's side accepts or rejects them with a note; proposers
// follow their status.
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Empty, Flex, Form, Input, Modal, Segmented, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { Correction, CorrectionStatus, Dataset } from '../../../../contracts/datasets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { datasetsApi } from './datasets-api.ts';
import { FieldValueView, fieldTitle } from './field-value.tsx';
import { tablePagination } from '../../lib/paging.ts';

type Props = { dataset: Dataset; onDecided: () => void };
type StatusFilter = CorrectionStatus | 'all';
type Deciding = { correction: Correction; outcome: 'accept' | 'reject' };

const STATUS_COLOR: Record<CorrectionStatus, string> = { pending: 'processing', accepted: 'success', rejected: 'error' };

export function CorrectionsTab({ dataset, onDecided }: Props) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<StatusFilter>(dataset.isOwner ? 'pending' : 'all');
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  useEffect(() => setPage((p) => ({ ...p, current: 1 })), [status, mine]);
  const list = useAsync(
    (signal) => datasetsApi.corrections(dataset.code, { status: status === 'all' ? undefined : status, mine }, page.pageSize, (page.current - 1) * page.pageSize, signal),
    [dataset.code, status, mine, page.current, page.pageSize],
  );
  const byName = new Map(dataset.fields.map((f) => [f.name, f]));

  const columns: TableColumnsType<Correction> = [
    { key: 'id', title: '#', width: 64, render: (_, c) => <span className="yz-mono">#{c.id}</span> },
    {
      key: 'row',
      title: t('dataset.region'),
      width: 180,
      render: (_, c) => (
        <Flex vertical>
          <span>{c.regionName ?? c.regionCode}</span>
          <Typography.Text type="secondary" className="yz-mono" style={{ fontSize: 12 }}>
            {c.key}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'changes',
      title: t('dataset.changes'),
      render: (_, c) => (
        <Flex vertical gap={2} data-testid="correction-changes">
          {Object.entries(c.changes).map(([name, value]) => {
            const f = byName.get(name);
            return (
              <span key={name}>
                <Typography.Text type="secondary">{f ? fieldTitle(f) : name}：</Typography.Text>
                <Typography.Text delete type="secondary">
                  <FieldValueView field={f} value={c.before[name]} />
                </Typography.Text>
                {' → '}
                <Typography.Text strong>
                  <FieldValueView field={f} value={value} />
                </Typography.Text>
              </span>
            );
          })}
        </Flex>
      ),
    },
    { key: 'reason', title: t('dataset.reason'), render: (_, c) => c.reason },
    {
      key: 'proposed',
      title: t('dataset.proposedBy'),
      width: 170,
      render: (_, c) => (
        <Flex vertical>
          <span>
            {c.proposedBy}
            {c.mine && (
              <Tag style={{ marginInlineStart: 6 }} color="cyan">
                {t('dataset.mine')}
              </Tag>
            )}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(c.proposedAt, lang)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'status',
      title: t('common.status'),
      width: 210,
      render: (_, c) => (
        <Flex vertical gap={2}>
          <span>
            <Tag color={STATUS_COLOR[c.status]} data-testid="correction-status" data-status={c.status}>
              {t(`dataset.status.${c.status}`)}
            </Tag>
            {c.resultingVersion !== null && <Typography.Text type="secondary">→ {t('dataset.versionN', { version: c.resultingVersion })}</Typography.Text>}
          </span>
          {c.decidedBy && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.decidedBy} · {formatDateTime(c.decidedAt, lang)}
            </Typography.Text>
          )}
          {c.decisionNote && <Typography.Text style={{ fontSize: 12 }}>{c.decisionNote}</Typography.Text>}
        </Flex>
      ),
    },
    ...(dataset.isOwner
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 170,
            fixed: 'right' as const,
            render: (_: unknown, c: Correction) =>
              c.status !== 'pending' ? null : c.mine ? (
                <Tooltip title={t('dataset.ownProposal')}>
                  <Typography.Text type="secondary">{t('dataset.awaitingOthers')}</Typography.Text>
                </Tooltip>
              ) : (
                <Flex gap={6}>
                  <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setDeciding({ correction: c, outcome: 'accept' })} data-testid="correction-accept">
                    {t('dataset.accept')}
                  </Button>
                  <Button size="small" danger icon={<CloseOutlined />} onClick={() => setDeciding({ correction: c, outcome: 'reject' })} data-testid="correction-reject">
                    {t('dataset.reject')}
                  </Button>
                </Flex>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <Segmented<StatusFilter>
          value={status}
          onChange={setStatus}
          data-testid="correction-filter"
          options={[
            { value: 'pending', label: t('dataset.status.pending') },
            { value: 'accepted', label: t('dataset.status.accepted') },
            { value: 'rejected', label: t('dataset.status.rejected') },
            { value: 'all', label: t('common.all') },
          ]}
        />
        <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)} data-testid="correction-mine">
          {t('dataset.onlyMine')}
        </Checkbox>
        <Typography.Text type="secondary">{dataset.isOwner ? t('dataset.ownerHint') : t('dataset.receiverHint')}</Typography.Text>
      </Flex>
      {list.error !== undefined && <ErrorAlert error={list.error} onRetry={list.reload} className="yz-mb-12" />}
      <Table<Correction>
        data-testid="correction-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="correction-empty">{t('dataset.noCorrections')}</span>} /> }}
        pagination={tablePagination(page, setPage, list.data?.total ?? 0, t)}
      />
      <DecisionDialog
        dataset={dataset}
        deciding={deciding}
        onClose={() => setDeciding(null)}
        onDone={() => {
          setDeciding(null);
          list.reload();
          onDecided();
        }}
      />
    </>
  );
}

/** Accepts (note optional) or rejects (note required) one correction. */
function DecisionDialog({ dataset, deciding, onClose, onDone }: { dataset: Dataset; deciding: Deciding | null; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const accept = deciding?.outcome === 'accept';

  const submit = async ({ note }: { note?: string }) => {
    if (!deciding) return;
    setSubmitting(true);
    setError(undefined);
    try {
      const trimmed = note?.trim() || undefined;
      const done = accept ? await datasetsApi.accept(dataset.code, deciding.correction.id, trimmed) : await datasetsApi.reject(dataset.code, deciding.correction.id, trimmed ?? '');
      message.success(done.resultingVersion !== null ? t('dataset.acceptedAs', { version: done.resultingVersion }) : t('dataset.rejected'));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={deciding !== null}
      title={deciding ? t(accept ? 'dataset.acceptTitle' : 'dataset.rejectTitle', { id: deciding.correction.id }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t(accept ? 'dataset.accept' : 'dataset.reject')}
      okButtonProps={{ loading: submitting, danger: !accept, 'data-testid': 'decision-submit' }}
      destroyOnHidden
      afterOpenChange={(open) => !open && setError(undefined)}
      data-testid="decision-dialog"
    >
      {error !== undefined && <ErrorAlert error={error} className="yz-mb-12" />}
      {deciding && (
        <Typography.Paragraph type="secondary">{accept ? t('dataset.acceptHint') : t('dataset.rejectHint')}</Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={submit} preserve={false}>
        <Form.Item name="note" label={t('dataset.note')} rules={accept ? [{ max: 1000 }] : [{ required: true, whitespace: true, message: t('dataset.noteRequired') }, { max: 1000 }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="decision-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
