// SPDX-License-Identifier: Apache-2.0
// One plan: its versions with their status actions, the content of a version per response level (or the
// editor for a draft), the diff between two versions, the role binding in a region, and export.
import { App, Button, Descriptions, Drawer, Empty, Flex, Input, Modal, Select, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { GRADES } from '../../../../contracts/dispatch-incidents.ts';
import type { ItemChanges, PlanAction, PlanLevel, PlanVersion, RoleBinding } from '../../../../contracts/dispatch-plans.ts';
import { scopePrefixOf } from '../../../../contracts/region-codes.ts';
import { useCan, useMe } from '../../app/session.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
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

function LevelView({ level }: { level: PlanLevel }) {
  const { t, lang } = useI18n();
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

function Changes({ label, c }: { label: string; c: ItemChanges }) {
  if (!c.added.length && !c.removed.length && !c.changed.length) return null;
  return (
    <div>
      <Typography.Text strong>{label}</Typography.Text>{' '}
      {c.added.map((k) => <Tag key={`a${k}`} color="green">+ {k}</Tag>)}
      {c.removed.map((k) => <Tag key={`r${k}`} color="red">− {k}</Tag>)}
      {c.changed.map((x) => <Tag key={`c${x.key}`} color="orange">~ {x.key}: {x.changes.map((f) => `${f.field} ${JSON.stringify(f.from)} → ${JSON.stringify(f.to)}`).join('; ')}</Tag>)}
    </div>
  );
}

function DiffView({ id, versions }: { id: string; versions: number[] }) {
  const { t } = useI18n();
  const [from, setFrom] = useState<number | undefined>(versions[1]);
  const [to, setTo] = useState<number | undefined>(versions[0]);
  const diff = useAsync((signal) => (from && to ? plansApi.diff(id, from, to, signal) : undefined), [id, from, to]);
  const options = versions.map((v) => ({ value: v, label: `v${v}` }));
  return (
    <Flex vertical gap={8} data-testid="plan-diff">
      <Space><Select style={{ width: 90 }} value={from} options={options} onChange={setFrom} /> → <Select style={{ width: 90 }} value={to} options={options} onChange={setTo} /></Space>
      {diff.error !== undefined && <ErrorAlert error={diff.error} />}
      {diff.data && (
        <>
          {diff.data.fields.map((f) => <div key={f.field}><Tag color="orange">{f.field}</Tag> {JSON.stringify(f.from)} → {JSON.stringify(f.to)}</div>)}
          {diff.data.triggers.added.map((x) => <Tag key={`ta${JSON.stringify(x)}`} color="green">+ {JSON.stringify(x)}</Tag>)}
          {diff.data.triggers.removed.map((x) => <Tag key={`tr${JSON.stringify(x)}`} color="red">− {JSON.stringify(x)}</Tag>)}
          {diff.data.levels.map((l) => (
            <div key={l.level}>
              <Typography.Title level={5}>{t('plan.levelN', { level: l.level })} <Tag>{t(`plan.change.${l.change}`)}</Tag></Typography.Title>
              <Changes label={t('plan.steps')} c={l.steps} />
              <Changes label={t('plan.resources')} c={l.resources} />
              <Changes label={t('plan.notifications')} c={l.notifications} />
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
  const eventLabel = (action: string): string => {
    if (action === 'create' || action === 'import' || action === 'supersede') return t(`plan.event.${action}`);
    const known = Object.keys(ACTION_PERMISSION).find((a): a is PlanAction => a === action);
    return known ? t(`plan.action.${known}`) : action;
  };

  const act = async () => {
    if (!v || !acting) return;
    setError(undefined);
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
            ...(p.importedFrom ? [{ key: 'from', label: t('plan.importedFrom'), children: `${p.importedFrom.regionCode} · ${p.importedFrom.code} v${p.importedFrom.version}` }] : []),
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
              { key: 'diff', label: t('plan.diff'), children: <DiffView id={p.id} versions={p.versions.map((x) => x.version)} /> },
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
      <Modal open={acting !== null} title={acting ? t(`plan.action.${acting}`) : ''} onCancel={() => setActing(null)} onOk={() => void act()} destroyOnHidden>
        {error !== undefined && <ErrorAlert error={error} className="yz-mb-12" />}
        <Input.TextArea rows={3} placeholder={t('plan.note')} value={note} onChange={(e) => setNote(e.target.value)} />
      </Modal>
    </Drawer>
  );
}
