// SPDX-License-Identifier: Apache-2.0
// One plan: its versions with their status actions, the content of a version per response level (or the
// editor for a draft), the diff between two versions, the role binding in a region, and export.
import { App, Button, Descriptions, Drawer, Empty, Flex, Input, Modal, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { Fragment, type ReactNode, useState } from 'react';
import { GRADES } from '../../../../contracts/dispatch-incidents.ts';
import type { ItemChanges, PlanAction, PlanLevel, PlanTrigger, PlanVersion, RoleBinding } from '../../../../contracts/dispatch-plans.ts';
import { scopePrefixOf } from '../../../../contracts/region-codes.ts';
import type { Region } from '../../../../contracts/regions.ts';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { RegionName } from '../../components/region-name.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync } from '../../lib/use-async.ts';
import { OrganizationPicker } from '../organizations/organization-picker.tsx';
import { resourcesApi } from '../resources/resources-api.ts';
import { PlanEditor } from './plan-editor.tsx';
import { ACTION_PERMISSION, ACTIONS_BY_STATUS, plansApi, STATUS_COLORS } from './plans-api.ts';

type Props = { id: string | null; onClose: () => void; onChanged: () => void };

/** Where to show the binding first: the user's own region when the plan applies there, else its first applicable region. */
function bindingRegionFor(v: PlanVersion, scopeCode: string | null): string | undefined {
  if (scopeCode && v.applicableRegions.some((a) => scopeCode.startsWith(scopePrefixOf(a)))) return scopeCode;
  return v.applicableRegions[0];
}

/** The names of roles and resource types in the current language (the code until loaded, or when unknown). */
function useCatalogNames() {
  const { lang } = useI18n();
  const roles = useAsync((signal) => plansApi.roles(signal), []);
  const types = useAsync((signal) => resourcesApi.types(signal), []);
  const roleName = (key: string) => {
    const r = roles.data?.items.find((x) => x.key === key);
    return r ? (lang === 'en' ? r.nameEn : r.name) : key;
  };
  const typeName = (code: string) => {
    const r = types.data?.items.find((x) => x.code === code);
    return r ? (lang === 'en' ? r.nameEn : r.nameZh) : code;
  };
  return { roleName, typeName };
}

function LevelView({ level }: { level: PlanLevel }) {
  const { t } = useI18n();
  const { roleName, typeName } = useCatalogNames();
  return (
    <Flex vertical gap={8}>
      <Table size="small" rowKey="key" pagination={false} dataSource={level.steps} columns={[
        { title: t('plan.step.key'), dataIndex: 'key', width: 110 },
        { title: t('plan.step.title'), dataIndex: 'title' },
        { title: t('plan.step.role'), width: 200, render: (_, s) => <Flex vertical><span>{roleName(s.roleKey)}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.roleKey}</Typography.Text></Flex> },
        { title: t('plan.step.deadline'), dataIndex: 'deadlineMinutes', width: 120 },
        { title: t('plan.step.dependsOn'), render: (_, s) => s.dependsOn.join(', ') || '—', width: 140 },
      ]} />
      <Table size="small" rowKey={(r) => `${r.resourceType}/${r.capability ?? ''}`} pagination={false} dataSource={level.resources} columns={[
        { title: t('plan.resource.type'), render: (_, r) => typeName(r.resourceType) },
        { title: t('plan.resource.capability'), render: (_, r) => r.capability ?? '—' },
        { title: t('plan.resource.quantity'), dataIndex: 'quantity', width: 90 },
        { title: t('plan.resource.travel'), dataIndex: 'maxTravelMinutes', width: 140 },
      ]} />
      {level.notifications.map((n) => (
        <Typography.Paragraph key={n.key} style={{ marginBottom: 0 }}>
          <Tag>{t(`warning.severity.${n.severity}`)}</Tag><Typography.Text strong>{n.headlineZh}</Typography.Text> {n.textZh}
          <br /><Typography.Text type="secondary">{n.headlineEn} — {n.textEn}</Typography.Text>
        </Typography.Paragraph>
      ))}
    </Flex>
  );
}

/** The label of each field the diff may name (a field not listed shows as its name). */
const FIELD_LABELS: Partial<Record<string, MessageKey>> = {
  name: 'plan.name', applicableRegions: 'plan.applicableRegions',
  title: 'plan.field.title', roleKey: 'plan.step.role', deadlineMinutes: 'plan.step.deadline', dependsOn: 'plan.step.dependsOn', description: 'plan.field.description',
  resourceType: 'plan.resource.type', capability: 'plan.resource.capability', quantity: 'plan.resource.quantity', maxTravelMinutes: 'plan.resource.travel',
  audience: 'plan.field.audience', severity: 'plan.notification.severity', urgency: 'plan.field.urgency', area: 'plan.notification.area',
  headlineZh: 'plan.notification.headlineZh', headlineEn: 'plan.notification.headlineEn', textZh: 'plan.notification.textZh', textEn: 'plan.notification.textEn',
};

const SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
const URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
const COMPARISON_SIGNS: Record<Extract<PlanTrigger, { kind: 'indicator' }>['comparison'], string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=' };

/** Shows field values of the diff as the content tab does: names for roles, resource types and regions, lists joined, no JSON. */
function useDiffFormat() {
  const { t, lang } = useI18n();
  const { roleName, typeName } = useCatalogNames();
  const sep = lang === 'en' ? ', ' : '、';
  const label = (field: string) => {
    const key = FIELD_LABELS[field];
    return key ? t(key) : field;
  };
  const value = (field: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return '—';
    if (field === 'applicableRegions' && Array.isArray(v)) return v.map((code, i) => <Fragment key={String(code)}>{i > 0 && sep}<RegionName code={String(code)} /></Fragment>);
    if (Array.isArray(v)) return v.map(String).join(sep);
    if (field === 'roleKey') return roleName(String(v));
    if (field === 'resourceType') return typeName(String(v));
    const severity = field === 'severity' ? SEVERITIES.find((x) => x === v) : undefined;
    if (severity) return t(`warning.severity.${severity}`);
    const urgency = field === 'urgency' ? URGENCIES.find((x) => x === v) : undefined;
    if (urgency) return t(`warning.urgency.${urgency}`);
    if (field === 'area' && typeof v === 'object') return 'radiusKm' in v ? `${String(v.radiusKm)} km` : t('plan.notification.region');
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  /** A resource requirement is named by its type (and capability). */
  const resource = (key: string) => {
    const [type = key, ...capability] = key.split('/');
    return [typeName(type), ...capability].join(' / ');
  };
  const trigger = (x: PlanTrigger) => (x.kind === 'incident' ? `${x.typeCode} ≥ ${x.minGrade}` : `${x.indicatorCode} ${COMPARISON_SIGNS[x.comparison]} ${x.value}`);
  return { label, value, resource, trigger };
}

type DiffFormat = ReturnType<typeof useDiffFormat>;

function Changes({ label, c, fmt, name = (k) => k }: { label: string; c: ItemChanges; fmt: DiffFormat; name?: (key: string) => string }) {
  if (!c.added.length && !c.removed.length && !c.changed.length) return null;
  return (
    <div>
      <Typography.Text strong>{label}</Typography.Text>{' '}
      {c.added.map((k) => <Tag key={`a${k}`} color="green">+ {name(k)}</Tag>)}
      {c.removed.map((k) => <Tag key={`r${k}`} color="red">− {name(k)}</Tag>)}
      {c.changed.map((x) => (
        <Tag key={`c${x.key}`} color="orange" style={{ whiteSpace: 'normal' }}>
          ~ {name(x.key)}: {x.changes.map((f, i) => <Fragment key={f.field}>{i > 0 && '; '}{fmt.label(f.field)} {fmt.value(f.field, f.from)} → {fmt.value(f.field, f.to)}</Fragment>)}
        </Tag>
      ))}
    </div>
  );
}

function DiffView({ id, versions }: { id: string; versions: number[] }) {
  const { t } = useI18n();
  const fmt = useDiffFormat();
  const [from, setFrom] = useState<number | undefined>(versions[1]);
  const [to, setTo] = useState<number | undefined>(versions[0]);
  const diff = useAsync((signal) => (from && to ? plansApi.diff(id, from, to, signal) : undefined), [id, from, to]);
  const options = versions.map((v) => ({ value: v, label: `v${v}` }));
  if (versions.length < 2) return <Empty data-testid="plan-diff" image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('plan.singleVersion')} />;
  return (
    <Flex vertical gap={8} data-testid="plan-diff">
      <Space><Select style={{ width: 90 }} value={from} options={options} onChange={setFrom} /> → <Select style={{ width: 90 }} value={to} options={options} onChange={setTo} /></Space>
      {diff.error !== undefined && <ErrorAlert error={diff.error} />}
      {diff.data && (
        <>
          {diff.data.fields.map((f) => <div key={f.field}><Tag color="orange">{fmt.label(f.field)}</Tag> {fmt.value(f.field, f.from)} → {fmt.value(f.field, f.to)}</div>)}
          {diff.data.triggers.added.map((x) => <Tag key={`ta${fmt.trigger(x)}`} color="green">+ {fmt.trigger(x)}</Tag>)}
          {diff.data.triggers.removed.map((x) => <Tag key={`tr${fmt.trigger(x)}`} color="red">− {fmt.trigger(x)}</Tag>)}
          {diff.data.levels.map((l) => (
            <div key={l.level}>
              <Typography.Title level={5}>{t('plan.levelN', { level: l.level })} <Tag>{t(`plan.change.${l.change}`)}</Tag></Typography.Title>
              <Changes label={t('plan.steps')} c={l.steps} fmt={fmt} />
              <Changes label={t('plan.resources')} c={l.resources} fmt={fmt} name={fmt.resource} />
              <Changes label={t('plan.notifications')} c={l.notifications} fmt={fmt} />
            </div>
          ))}
          {!diff.data.fields.length && !diff.data.levels.length && !diff.data.triggers.added.length && !diff.data.triggers.removed.length && <Empty description={t('plan.noChanges')} />}
        </>
      )}
    </Flex>
  );
}

function BindingView({ version, defaultRegion }: { version: PlanVersion; defaultRegion: string }) {
  const { t, lang } = useI18n();
  const can = useCan();
  const [regionCode, setRegionCode] = useState<string | null>(defaultRegion);
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const binding = useAsync((signal) => plansApi.binding(version.planId, version.version, regionCode, signal), [version.planId, version.version, regionCode, tick]);
  const bind = async (body: Parameters<typeof plansApi.bind>[2]) => {
    setError(undefined);
    try {
      await plansApi.bind(version.planId, version.version, { regionCode: regionCode ?? undefined, ...body });
      setTick((x) => x + 1);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Flex vertical gap={8} data-testid="plan-binding">
      <Space wrap>
        <RegionPicker value={regionCode} onChange={setRegionCode} allowClear={false} style={{ width: 240 }} />
        {can('plan:write') && <Button onClick={() => void bind({ auto: true })}>{t('plan.autoBind')}</Button>}
        {binding.data && (binding.data.complete ? <Tag color="success">{t('plan.bindingComplete')}</Tag> : <Tag color="error">{t('plan.unboundCount', { n: binding.data.unbound.length })}</Tag>)}
      </Space>
      {(binding.error ?? error) !== undefined && <ErrorAlert error={binding.error ?? error} />}
      <Table<RoleBinding>
        size="small"
        rowKey="key"
        pagination={false}
        loading={binding.loading}
        dataSource={binding.data?.roles ?? []}
        onRow={(r) => ({ style: r.organizationId ? undefined : { background: 'rgba(255, 77, 79, 0.08)' }, 'data-unbound': r.organizationId ? undefined : 'true' })}
        columns={[
          { title: t('plan.role'), render: (_, r) => <Flex vertical><span>{lang === 'en' ? r.nameEn : r.name}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.key}</Typography.Text></Flex> },
          { title: t('plan.boundTo'), render: (_, r) => (r.organizationName ? <span>{r.organizationName} {r.source && <Tag>{t(`plan.source.${r.source}`)}</Tag>}</span> : <Typography.Text type="danger">{t('plan.unbound')}</Typography.Text>) },
          { title: t('plan.proposed'), render: (_, r) => r.proposedOrganizationName ?? '—' },
          ...(can('plan:write') ? [{
            title: t('plan.override'),
            width: 240,
            render: (_: unknown, r: RoleBinding) => <OrganizationPicker value={r.organizationId} onChange={(org) => void bind({ bindings: [{ roleKey: r.key, organizationId: org }] })} style={{ width: '100%' }} />,
          }] : []),
        ]}
      />
    </Flex>
  );
}

export function PlanDrawer({ id, onClose, onChanged }: Props) {
  const { t, lang } = useI18n();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  // While the drawer closes it keeps showing the plan it showed; another plan shows once loaded, from its
  // latest version and not in the editor.
  const [shownId, setShownId] = useState(id);
  const [selected, setSelected] = useState<number | null>(null);
  const [editing, setEditing] = useState(false);
  if (id !== null && id !== shownId) {
    setShownId(id);
    setSelected(null);
    setEditing(false);
  }
  const plan = useAsync((signal) => (shownId ? plansApi.get(shownId, signal) : undefined), [shownId, tick]);
  const p = plan.data?.id === shownId ? plan.data : undefined;
  const versionNo = selected ?? p?.latestVersion ?? null;
  const version = useAsync((signal) => (shownId && versionNo ? plansApi.version(shownId, versionNo, signal) : undefined), [shownId, versionNo, tick]);
  const [acting, setActing] = useState<PlanAction | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const v = version.data?.planId === shownId && version.data.version === versionNo ? version.data : undefined;
  // The region a copied plan came from, by name; a region outside the user's scope stays a code.
  const sourceCode = p?.importedFrom?.regionCode;
  const source = useAsync((signal) => (sourceCode ? api.get<Region>(`/api/regions/${encodeURIComponent(sourceCode)}`, undefined, signal) : undefined), [sourceCode]);
  const eventLabel = (action: string): string => {
    if (action === 'create' || action === 'import' || action === 'supersede') return t(`plan.event.${action}`);
    const known = Object.keys(ACTION_PERMISSION).find((a): a is PlanAction => a === action);
    return known ? t(`plan.action.${known}`) : action;
  };

  const [busy, setBusy] = useState(false);
  const act = async () => {
    if (!v || !acting) return;
    setError(undefined);
    setBusy(true);
    try {
      const result = await plansApi.transition(v.planId, v.version, acting, note.trim() || undefined);
      message.success(t('plan.done'));
      setActing(null);
      setNote('');
      if (result.created) setSelected(result.created.version);
      setTick((x) => x + 1);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={id !== null} onClose={onClose} size={980} title={p ? `${p.name} · ${p.code}` : t('plan.title')} data-testid="plan-drawer">
      {plan.loading && !p && <Loading />}
      {plan.error !== undefined && <ErrorAlert error={plan.error} onRetry={plan.reload} />}
      {p && (
        <Flex vertical gap={12}>
          <Descriptions size="small" column={2} items={[
            { key: 'scenario', label: t('plan.scenario'), children: p.scenarioName ?? p.scenarioType },
            { key: 'region', label: t('plan.region'), children: p.regionName ?? p.regionCode },
            { key: 'owner', label: t('plan.owner'), children: p.ownerOrganizationName ?? p.ownerOrganizationId },
            { key: 'published', label: t('plan.publishedVersion'), children: p.publishedVersion ? `v${p.publishedVersion}` : '—' },
            ...(p.importedFrom ? [{
              key: 'from',
              label: t('plan.importedFrom'),
              children: (
                <span data-testid="plan-imported-from">
                  {source.data ? <>{lang === 'en' && source.data.nameEn ? source.data.nameEn : source.data.name} <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.importedFrom.regionCode}</Typography.Text></> : p.importedFrom.regionCode}
                  {` · ${p.importedFrom.code} v${p.importedFrom.version}`}
                </span>
              ),
            }] : []),
          ]} />
          <Space wrap>
            <Select<number> style={{ width: 200 }} value={versionNo ?? undefined} onChange={(x) => { setSelected(x); setEditing(false); }} data-testid="plan-version-select"
              options={p.versions.map((x) => ({ value: x.version, label: `v${x.version} · ${t(`plan.status.${x.status}`)}` }))} />
            {v && <Tag color={STATUS_COLORS[v.status]}>{t(`plan.status.${v.status}`)}</Tag>}
            {v && ACTIONS_BY_STATUS[v.status].filter((a) => can(ACTION_PERMISSION[a])).map((a) => (
              <Button key={a} size="small" onClick={() => setActing(a)} data-testid={`plan-action-${a}`}>{t(`plan.action.${a}`)}</Button>
            ))}
            {v?.editable && can('plan:write') && !editing && <Button size="small" type="primary" onClick={() => setEditing(true)} data-testid="plan-edit">{t('common.edit')}</Button>}
            {v && <Button size="small" href={plansApi.exportUrl(v.planId, v.version, 'yaml')} download>{t('plan.exportYaml')}</Button>}
            {v && <Button size="small" href={plansApi.exportUrl(v.planId, v.version, 'json')} download>{t('plan.exportJson')}</Button>}
          </Space>
          {version.error !== undefined && <ErrorAlert error={version.error} />}
          {v && editing && <PlanEditor version={v} onCancel={() => setEditing(false)} onSaved={() => { setEditing(false); setTick((x) => x + 1); onChanged(); }} />}
          {v && !editing && (
            <Tabs items={[
              {
                key: 'content',
                label: t('plan.content'),
                children: (
                  <Tabs size="small" items={[...v.levels].sort((a, b) => GRADES.indexOf(a.level) - GRADES.indexOf(b.level)).map((l) => ({ key: l.level, label: t('plan.levelN', { level: l.level }), children: <LevelView level={l} /> }))} />
                ),
              },
              { key: 'diff', label: t('plan.diff'), children: <DiffView key={p.versions.length} id={p.id} versions={p.versions.map((x) => x.version)} /> },
              { key: 'binding', label: t('plan.binding'), children: <BindingView version={v} defaultRegion={bindingRegionFor(v, me.scopeCode) ?? p.regionCode} /> },
              {
                key: 'history',
                label: t('plan.history'),
                children: (
                  <Timeline items={v.events.map((e) => ({
                    key: e.id,
                    children: <span>{formatDateTime(e.at, lang)} · {e.actor} · {eventLabel(e.action)} ({e.fromStatus ? t(`plan.status.${e.fromStatus}`) : '—'} → {t(`plan.status.${e.toStatus}`)}){e.note ? ` · ${e.note}` : ''}</span>,
                  }))} />
                ),
              },
            ]} />
          )}
        </Flex>
      )}
      <Modal open={acting !== null} title={acting ? t(`plan.action.${acting}`) : ''} onCancel={() => setActing(null)} onOk={() => void act()} confirmLoading={busy} okButtonProps={{ disabled: !v }} destroyOnHidden>
        {error !== undefined && <ErrorAlert error={error} className="yz-mb-12" />}
        <Input.TextArea rows={3} placeholder={t('plan.note')} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </Drawer>
  );
}
