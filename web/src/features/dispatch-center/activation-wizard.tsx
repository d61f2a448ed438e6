// SPDX-License-Identifier: Apache-2.0
// 启动预案: the activation wizard. Step 1 chooses the level and previews the plan, version and level that apply
// with the organization of each step; step 2 shows the resources proposed per requirement (ranked by travel
// time, borrowed ones marked, all pre-selected) for the dispatcher to keep, drop or add to; step 3 confirms
// with public warnings and a note; then the outcome: orders sent, shortfall, warnings issued or failed.
import { Alert, Button, Card, Descriptions, Empty, Flex, Input, Modal, Radio, Result, Space, Steps, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ActivationDetail, ActivationPreview, PreviewRequest, PreviewStep } from '../../../../contracts/dispatch-activations.ts';
import { GRADES, type Grade, type Incident } from '../../../../contracts/dispatch-incidents.ts';
import type { Proposal } from '../../../../contracts/dispatch-resources.ts';
import { navigate } from '../../app/router.ts';
import { Loading } from '../../components/loading.tsx';
import { RegionName } from '../../components/region-name.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorMessage } from '../../lib/api.ts';
import { formatNumber } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { GradeTag } from '../incidents/incident-labels.tsx';
import { plansApi } from '../plans/plans-api.ts';
import { dispatchApi } from './dispatch-api.ts';
import { BorrowedTag, type ResourceTypeInfo, useResourceTypes } from './dispatch-labels.tsx';
import { ProblemAlert } from './problem-alert.tsx';

type Props = { incident: Incident; onClose: () => void; onActivated: (detail: ActivationDetail) => void };

/** How much of a requirement the chosen proposals cover. */
function chosenAmount(proposals: readonly Proposal[], ids: readonly string[]): number {
  return proposals.filter((p) => ids.includes(p.resource.id)).reduce((n, p) => n + p.take, 0);
}

/** The wizard, mounted while it is open. */
export function ActivationWizard({ incident, onClose, onActivated }: Props) {
  const { t, lang } = useI18n();
  const types = useResourceTypes();
  const [step, setStep] = useState(0);
  const [level, setLevel] = useState<Grade>(incident.grade);
  const preview = useAsync((signal) => dispatchApi.preview(incident.id, level, signal), [incident.id, level]);
  const p = preview.data && !preview.loading ? preview.data : undefined;
  // per requirement (by position): the candidates shown (the preview's, plus any more asked for) and those chosen
  const [candidates, setCandidates] = useState<Record<number, Proposal[]>>({});
  const [chosen, setChosen] = useState<Record<number, string[]>>({});
  const [issueWarnings, setIssueWarnings] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [result, setResult] = useState<ActivationDetail | null>(null);

  useEffect(() => {
    if (!preview.data) return;
    setCandidates(Object.fromEntries(preview.data.requests.map((r) => [r.position, r.proposal.proposals])));
    setChosen(Object.fromEntries(preview.data.requests.map((r) => [r.position, r.proposal.proposals.map((x) => x.resource.id)])));
  }, [preview.data]);

  const unbound = p ? p.steps.filter((s) => s.organizationId === null) : [];
  const canNext = p !== undefined && unbound.length === 0;

  const activate = async () => {
    if (!p) return;
    setBusy(true);
    setError(undefined);
    try {
      const detail = await dispatchApi.activate(incident.id, {
        level,
        planId: p.plan.id,
        requests: p.requests.map((r) => ({ position: r.position, resourceIds: chosen[r.position] ?? [] })).filter((r) => r.resourceIds.length > 0),
        issueWarnings: issueWarnings && p.notifications.length > 0,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      setResult(detail);
      setStep(3);
      onActivated(detail);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const footer = (() => {
    if (step === 3) {
      return (
        <Button type="primary" onClick={onClose} data-testid="wizard-done">
          {t('activation.wizard.done')}
        </Button>
      );
    }
    return (
      <Space>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        {step > 0 && (
          <Button onClick={() => setStep(step - 1)} disabled={busy} data-testid="wizard-prev">
            {t('activation.wizard.prev')}
          </Button>
        )}
        {step < 2 ? (
          <Button type="primary" disabled={!canNext} onClick={() => setStep(step + 1)} data-testid="wizard-next">
            {t('activation.wizard.next')}
          </Button>
        ) : (
          <Button type="primary" danger loading={busy} disabled={!p} onClick={() => void activate()} data-testid="wizard-activate">
            {t('activation.wizard.activate')}
          </Button>
        )}
      </Space>
    );
  })();

  return (
    <Modal
      open
      width={960}
      title={
        <Flex gap={8} align="center" wrap>
          <span>{t('activation.wizard.title')}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {incident.title}
          </Typography.Text>
          {incident.exercise && <Tag color="purple">{t('incident.exercise')}</Tag>}
        </Flex>
      }
      onCancel={onClose}
      maskClosable={false}
      footer={footer}
      data-testid="activation-wizard"
    >
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 20 }}
        items={[
          { title: t('activation.wizard.step.level') },
          { title: t('activation.wizard.step.resources') },
          { title: t('activation.wizard.step.confirm') },
          { title: t('activation.wizard.step.result') },
        ]}
      />
      <div data-testid="wizard-step" data-step={step}>
        {step === 0 && (
          <Flex vertical gap={16}>
            <Flex align="center" gap={12} wrap>
              <Typography.Text strong>{t('activation.wizard.level')}</Typography.Text>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                value={level}
                onChange={(e) => setLevel(e.target.value as Grade)}
                options={GRADES.map((g) => ({ value: g, label: <span data-testid={`wizard-level-${g}`}>{t(`incident.grade.${g}`)}</span> }))}
              />
              <Typography.Text type="secondary">{t('activation.wizard.levelHint', { grade: t(`incident.grade.${incident.grade}`) })}</Typography.Text>
            </Flex>
            {preview.error !== undefined && !preview.loading ? (
              <ProblemAlert error={preview.error} onRetry={preview.reload} />
            ) : !p ? (
              <Loading minHeight={260} />
            ) : (
              <PreviewPlan preview={p} unbound={unbound} onOpenPlan={() => { onClose(); navigate(`/plans/${p.plan.id}`); }} />
            )}
          </Flex>
        )}
        {step === 1 && p && (
          <Flex vertical gap={12} data-testid="wizard-resources">
            <Alert type="info" showIcon title={t('activation.wizard.resourcesHint')} />
            {p.requests.length === 0 && <Empty description={t('activation.wizard.noRequirements')} />}
            {p.requests.map((r) => (
              <RequestCard
                key={r.position}
                incident={incident}
                request={r}
                types={types}
                candidates={candidates[r.position] ?? []}
                chosen={chosen[r.position] ?? []}
                onChosen={(ids) => setChosen((c) => ({ ...c, [r.position]: ids }))}
                onMore={(more) =>
                  setCandidates((c) => {
                    const known = c[r.position] ?? [];
                    const add = more.filter((m) => !known.some((k) => k.resource.id === m.resource.id));
                    return { ...c, [r.position]: [...known, ...add] };
                  })
                }
              />
            ))}
          </Flex>
        )}
        {step === 2 && p && (
          <Flex vertical gap={16} data-testid="wizard-confirm">
            {p.exercise && <Alert type="warning" showIcon title={t('activation.wizard.exercise')} />}
            <Descriptions
              size="small"
              column={1}
              bordered
              styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
              items={[
                { key: 'plan', label: t('activation.plan'), children: `${p.plan.name}（${p.plan.code} v${p.version}）` },
                { key: 'level', label: t('activation.level'), children: <GradeTag grade={p.level} /> },
                { key: 'tasks', label: t('activation.wizard.tasks'), children: t('activation.wizard.tasksCount', { n: p.steps.length }) },
                {
                  key: 'resources',
                  label: t('activation.wizard.resources'),
                  children: (
                    <Flex vertical gap={2}>
                      {p.requests.map((r) => {
                        const amount = chosenAmount(candidates[r.position] ?? [], chosen[r.position] ?? []);
                        return (
                          <span key={r.position} data-testid="wizard-confirm-request">
                            {t('activation.wizard.resourceLine', { type: types.name(r.resourceType), chosen: t('activation.wizard.chosenOf', { chosen: formatNumber(amount, lang), need: formatNumber(r.quantity, lang) }) })}
                            {amount < r.quantity && <Typography.Text type="secondary"> · {t('activation.wizard.restMatched')}</Typography.Text>}
                          </span>
                        );
                      })}
                      {p.requests.length === 0 && t('common.none')}
                    </Flex>
                  ),
                },
                {
                  key: 'warnings',
                  label: t('activation.wizard.issueWarnings'),
                  children:
                    p.notifications.length === 0 ? (
                      <Typography.Text type="secondary">{t('activation.wizard.noWarnings')}</Typography.Text>
                    ) : (
                      <Flex vertical gap={6}>
                        <Switch checked={issueWarnings} onChange={setIssueWarnings} data-testid="wizard-warnings" style={{ alignSelf: 'flex-start' }} />
                        {p.notifications.map((n) => (
                          <span key={n.key}>
                            <Tag color="orange">{t('activation.wizard.warningItem')}</Tag>
                            {n.headlineZh}
                            <Typography.Text type="secondary"> · {n.headlineEn}</Typography.Text>
                          </span>
                        ))}
                      </Flex>
                    ),
                },
                {
                  key: 'note',
                  label: t('activation.note'),
                  children: <Input.TextArea rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('activation.wizard.notePlaceholder')} data-testid="wizard-note" />,
                },
              ]}
            />
            {error !== undefined && <ProblemAlert error={error} />}
          </Flex>
        )}
        {step === 3 && result && <Outcome detail={result} types={types} />}
      </div>
    </Modal>
  );
}

/** Step 1's preview: the plan, version and level, who takes each step. */
function PreviewPlan({ preview: p, unbound, onOpenPlan }: { preview: ActivationPreview; unbound: PreviewStep[]; onOpenPlan: () => void }) {
  const { t, lang } = useI18n();
  const roles = useAsync((signal) => (lang === 'en' ? plansApi.roles(signal) : undefined), [lang]);
  const roleName = (s: PreviewStep) => (lang === 'en' ? (roles.data?.items.find((r) => r.key === s.roleKey)?.nameEn ?? s.roleName) : s.roleName);
  const titleOf = (key: string) => p.steps.find((s) => s.key === key)?.title ?? key;
  const proposed = p.steps.filter((s) => s.assignedBy === 'proposal');
  const columns: TableColumnsType<PreviewStep> = [
    {
      key: 'title',
      title: t('activation.step'),
      render: (_, s) => <span>{s.title}</span>,
    },
    { key: 'role', title: t('activation.role'), width: 170, render: (_, s) => roleName(s) },
    {
      key: 'org',
      title: t('activation.organization'),
      width: 210,
      render: (_, s) =>
        s.organizationId === null ? (
          <Tag color="error" data-testid="wizard-step-unbound">{t('activation.unbound')}</Tag>
        ) : (
          <Flex gap={4} align="center" wrap>
            <span>{s.organizationName}</span>
            {s.assignedBy === 'proposal' && <Tag color="warning">{t('activation.proposed')}</Tag>}
          </Flex>
        ),
    },
    { key: 'deadline', title: t('activation.deadline'), width: 100, render: (_, s) => t('activation.minutes', { n: s.deadlineMinutes }) },
    { key: 'after', title: t('activation.after'), width: 170, render: (_, s) => (s.dependsOn.length ? s.dependsOn.map(titleOf).join(t('common.listSeparator')) : t('common.none')) },
  ];
  return (
    <Flex vertical gap={12} data-testid="wizard-preview">
      <Descriptions
        size="small"
        column={2}
        bordered
        styles={{ label: { width: 110, whiteSpace: 'nowrap' } }}
        items={[
          { key: 'plan', label: t('activation.plan'), children: <span data-testid="wizard-plan">{p.plan.name}</span> },
          { key: 'version', label: t('activation.version'), children: `${p.plan.code} · v${p.version}` },
          {
            key: 'level',
            label: t('activation.level'),
            children: (
              <Flex gap={6} align="center" wrap data-testid="wizard-preview-level" data-level={p.level}>
                <GradeTag grade={p.level} />
                {p.level !== p.requestedLevel && <Typography.Text type="warning">{t('activation.wizard.levelNearest', { requested: t(`incident.grade.${p.requestedLevel}`) })}</Typography.Text>}
              </Flex>
            ),
          },
          { key: 'binding', label: t('activation.bindingRegion'), children: <RegionName code={p.bindingRegionCode} /> },
        ]}
      />
      {unbound.length > 0 && (
        <Alert
          type="error"
          showIcon
          data-testid="wizard-unbound"
          title={t('activation.wizard.unboundTitle', { n: unbound.length })}
          description={t('activation.wizard.unboundText', { roles: [...new Set(unbound.map(roleName))].join(t('common.listSeparator')) })}
          action={<Button size="small" onClick={onOpenPlan}>{t('activation.wizard.openPlan')}</Button>}
        />
      )}
      {proposed.length > 0 && (
        <Alert type="warning" showIcon title={t('activation.wizard.proposedTitle', { roles: [...new Set(proposed.map(roleName))].join(t('common.listSeparator')) })} />
      )}
      <Table<PreviewStep>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={p.steps}
        pagination={false}
        onRow={(s) => ({ 'data-unbound': s.organizationId === null ? 'true' : 'false' }) as React.HTMLAttributes<HTMLElement>}
        data-testid="wizard-steps"
      />
    </Flex>
  );
}

type RequestProps = {
  incident: Incident;
  request: PreviewRequest;
  types: ResourceTypeInfo;
  candidates: Proposal[];
  chosen: string[];
  onChosen: (ids: string[]) => void;
  onMore: (more: Proposal[]) => void;
};

/** Step 2: one requirement with its candidates, ranked by travel time, to choose from. */
function RequestCard({ incident, request: r, types, candidates, chosen, onChosen, onMore }: RequestProps) {
  const { t, lang } = useI18n();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [exhausted, setExhausted] = useState(false);
  const unit = lang === 'en' ? '' : types.unit(r.resourceType);
  const stock = types.isStock(r.resourceType);
  const amount = chosenAmount(candidates, chosen);

  const more = async () => {
    if (incident.lon === null || incident.lat === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const found = await dispatchApi.nearest({
        type: r.resourceType,
        ...(r.capability ? { capability: r.capability } : {}),
        quantity: stock ? r.quantity * 2 : r.quantity + 5,
        lon: incident.lon,
        lat: incident.lat,
        regionCode: incident.regionCode,
        maxTravelMinutes: r.maxTravelMinutes,
      });
      const fresh = found.proposals.filter((x) => !candidates.some((c) => c.resource.id === x.resource.id));
      if (fresh.length === 0) setExhausted(true);
      onMore(fresh);
    } catch (err) {
      setMoreError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const columns: TableColumnsType<Proposal> = [
    {
      key: 'name',
      title: t('activation.resource'),
      render: (_, x) => (
        <Flex vertical>
          <span data-testid="wizard-candidate-name">{x.resource.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.resource.ownerOrganizationName}</Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'from',
      title: t('activation.from'),
      width: 190,
      render: (_, x) => (
        <Flex gap={6} align="center" wrap>
          <span>{x.fromRegionName ?? x.fromRegionCode}</span>
          {x.borrowed && <BorrowedTag />}
        </Flex>
      ),
    },
    ...(stock
      ? [{ key: 'take', title: t('activation.take'), width: 120, align: 'right' as const, render: (_: unknown, x: Proposal) => `${formatNumber(x.take, lang)} ${unit}` }]
      : []),
    {
      key: 'travel',
      title: t('activation.travel'),
      width: 150,
      align: 'right',
      render: (_, x) => (
        <Flex vertical align="flex-end">
          <span data-testid="wizard-candidate-travel">{t('activation.minutes', { n: formatNumber(x.travelMinutes, lang, 1) })}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatNumber(x.distanceKm, lang, 1)} km</Typography.Text>
        </Flex>
      ),
    },
  ];

  return (
    <Card
      size="small"
      data-testid="wizard-request"
      data-type={r.resourceType}
      title={
        <Flex gap={8} align="center" wrap>
          <span>{types.name(r.resourceType)}</span>
          {r.capability && <Tag>{r.capability}</Tag>}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }}>
            {t('activation.need', { n: formatNumber(r.quantity, lang), unit, minutes: r.maxTravelMinutes })}
          </Typography.Text>
        </Flex>
      }
      extra={
        <Flex gap={8} align="center">
          <Tag color={amount >= r.quantity ? 'success' : 'warning'} data-testid="wizard-request-chosen">
            {t('activation.wizard.chosenOf', { chosen: formatNumber(amount, lang), need: formatNumber(r.quantity, lang) })}
          </Tag>
          {incident.lon !== null && incident.lat !== null && (
            <Button size="small" loading={loadingMore} disabled={exhausted} onClick={() => void more()}>
              {exhausted ? t('activation.wizard.noMore') : t('activation.wizard.more')}
            </Button>
          )}
        </Flex>
      }
    >
      {!r.proposal.satisfied && (
        <Alert
          type="warning"
          showIcon
          className="yz-mb-8"
          data-testid="wizard-request-shortfall"
          title={t('activation.wizard.shortfall', { n: formatNumber(r.proposal.shortfall, lang), unit, minutes: r.maxTravelMinutes })}
        />
      )}
      {moreError && <Alert type="error" showIcon className="yz-mb-8" title={moreError} />}
      {candidates.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('activation.wizard.noCandidates')} />
      ) : (
        <Table<Proposal>
          size="small"
          rowKey={(x) => x.resource.id}
          columns={columns}
          dataSource={candidates}
          pagination={false}
          rowSelection={{ selectedRowKeys: chosen, onChange: (keys) => onChosen(keys.map(String)) }}
        />
      )}
    </Card>
  );
}

/** What the activation did. */
function Outcome({ detail: d, types }: { detail: ActivationDetail; types: ResourceTypeInfo }) {
  const { t, lang } = useI18n();
  const shortfall = d.requests.filter((r) => r.shortfall > 0);
  const counties = new Set(d.orders.map((o) => o.regionName ?? o.regionCode));
  const borrowed = d.orders.filter((o) => o.borrowed).length;
  const clean = shortfall.length === 0 && d.warningErrors.length === 0;
  return (
    <Flex vertical gap={12} data-testid="wizard-result">
      <Result
        status={clean ? 'success' : 'warning'}
        style={{ padding: '8px 0' }}
        title={t('activation.result.title', { plan: d.plan.name, level: t(`activation.levelShort.${d.level}`) })}
        subTitle={t('activation.result.subtitle', { orders: d.orders.length, regions: counties.size, tasks: d.tasks.length })}
      />
      <Descriptions
        size="small"
        column={1}
        bordered
        styles={{ label: { width: 140, whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'orders',
            label: t('activation.result.orders'),
            children: (
              <span data-testid="wizard-result-orders" data-count={d.orders.length}>
                {t('activation.result.ordersText', { n: d.orders.length, regions: [...counties].join(t('common.listSeparator')), borrowed })}
              </span>
            ),
          },
          {
            key: 'shortfall',
            label: t('activation.shortfall'),
            children:
              shortfall.length === 0 ? (
                <Typography.Text type="success">{t('activation.result.noShortfall')}</Typography.Text>
              ) : (
                <Flex vertical data-testid="wizard-result-shortfall">
                  {shortfall.map((r) => (
                    <Typography.Text key={r.id} type="danger">
                      {types.name(r.resourceType)}{t('common.colon')}{t('activation.result.missing', { n: formatNumber(r.shortfall, lang), unit: lang === 'en' ? '' : types.unit(r.resourceType), need: formatNumber(r.quantity, lang) })}
                    </Typography.Text>
                  ))}
                </Flex>
              ),
          },
          {
            key: 'warnings',
            label: t('activation.result.warnings'),
            children: (
              <Flex vertical data-testid="wizard-result-warnings">
                {d.warnings.length === 0 && d.warningErrors.length === 0 && <Typography.Text type="secondary">{t('activation.result.noWarnings')}</Typography.Text>}
                {d.warnings.map((w) => (
                  <span key={w.id}>
                    <Tag color="success">{t('activation.result.issued')}</Tag>
                    <Typography.Link href={`#/warnings/${w.id}`} className="yz-mono">{w.identifier}</Typography.Link>
                  </span>
                ))}
                {d.warningErrors.map((w) => (
                  <Typography.Text key={w.key} type="danger">
                    <Tag color="error">{t('activation.result.failed')}</Tag>
                    {w.key}: {w.message}
                  </Typography.Text>
                ))}
              </Flex>
            ),
          },
        ]}
      />
    </Flex>
  );
}
