// SPDX-License-Identifier: Apache-2.0
// The structured editor of a draft version: name and applicable regions, then per response level the steps,
// resource requirements and warnings as editable tables. The server checks the structure on save (unknown
// roles and types, dependency cycles …) and its field errors are shown above the tables.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, InputNumber, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { GRADES, type Grade } from '../../../../contracts/dispatch-incidents.ts';
import type { PlanContent, PlanLevel, PlanNotification, PlanResource, PlanStep, PlanVersion } from '../../../../contracts/dispatch-plans.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RegionName } from '../../components/region-name.tsx';
import { RegionPicker } from '../../components/region-picker.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { resourcesApi } from '../resources/resources-api.ts';
import { plansApi } from './plans-api.ts';

type Props = { version: PlanVersion; onSaved: (v: PlanVersion) => void; onCancel: () => void };

const newStep = (n: number): PlanStep => ({ key: `step-${n}`, title: '', roleKey: 'county-emergency-bureau', deadlineMinutes: 60, dependsOn: [] });
const newResource = (): PlanResource => ({ resourceType: 'rescue-team', capability: null, quantity: 1, maxTravelMinutes: 60 });
const newNotification = (n: number): PlanNotification => ({
  key: `warning-${n}`, audience: 'public', severity: 'Moderate', urgency: 'Expected', headlineZh: '', headlineEn: '', textZh: '', textEn: '', area: { kind: 'incident-region' },
});

export function PlanEditor({ version, onSaved, onCancel }: Props) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [content, setContent] = useState<PlanContent>({ name: version.name, applicableRegions: version.applicableRegions, triggers: version.triggers, levels: version.levels });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const roles = useAsync((signal) => plansApi.roles(signal), []);
  const types = useAsync((signal) => resourcesApi.types(signal), []);
  const roleOptions = (roles.data?.items ?? []).map((r) => ({ value: r.key, label: lang === 'en' ? r.nameEn : r.name }));
  const typeOptions = (types.data?.items ?? []).map((r) => ({ value: r.code, label: lang === 'en' ? r.nameEn : r.nameZh }));

  const setLevel = (grade: Grade, change: (l: PlanLevel) => PlanLevel) =>
    setContent((c) => ({ ...c, levels: c.levels.map((l) => (l.level === grade ? change(l) : l)) }));
  const patchAt = <T,>(list: T[], i: number, patch: Partial<T>) => list.map((x, k) => (k === i ? { ...x, ...patch } : x));

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await plansApi.saveDraft(version.planId, version.version, content);
      message.success(t('plan.saved'));
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const missing = GRADES.filter((g) => !content.levels.some((l) => l.level === g));
  const levelTab = (l: PlanLevel) => ({
    key: l.level,
    label: t('plan.levelN', { level: l.level }),
    children: (
      <Flex vertical gap={12}>
        <Typography.Text strong>{t('plan.steps')}</Typography.Text>
        <Table<PlanStep>
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={l.steps}
          scroll={{ x: 960 }}
          columns={[
            { title: t('plan.step.key'), width: 120, render: (_, s, i) => <Input value={s.key} onChange={(e) => setLevel(l.level, (x) => ({ ...x, steps: patchAt(x.steps, i, { key: e.target.value }) }))} /> },
            { title: t('plan.step.title'), width: 240, render: (_, s, i) => <Input value={s.title} onChange={(e) => setLevel(l.level, (x) => ({ ...x, steps: patchAt(x.steps, i, { title: e.target.value }) }))} /> },
            { title: t('plan.step.role'), width: 200, render: (_, s, i) => <Select style={{ width: '100%' }} value={s.roleKey} options={roleOptions} onChange={(v) => setLevel(l.level, (x) => ({ ...x, steps: patchAt(x.steps, i, { roleKey: v }) }))} /> },
            { title: t('plan.step.deadline'), width: 110, render: (_, s, i) => <InputNumber min={0} value={s.deadlineMinutes} onChange={(v) => setLevel(l.level, (x) => ({ ...x, steps: patchAt(x.steps, i, { deadlineMinutes: v ?? 0 }) }))} /> },
            {
              title: t('plan.step.dependsOn'), width: 200,
              render: (_, s, i) => (
                <Select mode="multiple" style={{ width: '100%' }} value={s.dependsOn} options={l.steps.filter((o) => o.key !== s.key).map((o) => ({ value: o.key, label: o.key }))}
                  onChange={(v) => setLevel(l.level, (x) => ({ ...x, steps: patchAt(x.steps, i, { dependsOn: v }) }))} />
              ),
            },
            { width: 48, render: (_, _s, i) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('plan.remove')} onClick={() => setLevel(l.level, (x) => ({ ...x, steps: x.steps.filter((_y, k) => k !== i) }))} /> },
          ]}
          footer={() => <Button size="small" icon={<PlusOutlined />} onClick={() => setLevel(l.level, (x) => ({ ...x, steps: [...x.steps, newStep(x.steps.length + 1)] }))}>{t('plan.addStep')}</Button>}
        />
        <Typography.Text strong>{t('plan.resources')}</Typography.Text>
        <Table<PlanResource>
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={l.resources}
          columns={[
            { title: t('plan.resource.type'), width: 200, render: (_, r, i) => <Select style={{ width: '100%' }} value={r.resourceType} options={typeOptions} onChange={(v) => setLevel(l.level, (x) => ({ ...x, resources: patchAt(x.resources, i, { resourceType: v }) }))} /> },
            { title: t('plan.resource.capability'), render: (_, r, i) => <Input value={r.capability ?? ''} onChange={(e) => setLevel(l.level, (x) => ({ ...x, resources: patchAt(x.resources, i, { capability: e.target.value.trim() || null }) }))} /> },
            { title: t('plan.resource.quantity'), width: 120, render: (_, r, i) => <InputNumber min={1} value={r.quantity} onChange={(v) => setLevel(l.level, (x) => ({ ...x, resources: patchAt(x.resources, i, { quantity: v ?? 1 }) }))} /> },
            { title: t('plan.resource.travel'), width: 140, render: (_, r, i) => <InputNumber min={1} value={r.maxTravelMinutes} onChange={(v) => setLevel(l.level, (x) => ({ ...x, resources: patchAt(x.resources, i, { maxTravelMinutes: v ?? 1 }) }))} /> },
            { width: 48, render: (_, _r, i) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('plan.remove')} onClick={() => setLevel(l.level, (x) => ({ ...x, resources: x.resources.filter((_y, k) => k !== i) }))} /> },
          ]}
          footer={() => <Button size="small" icon={<PlusOutlined />} onClick={() => setLevel(l.level, (x) => ({ ...x, resources: [...x.resources, newResource()] }))}>{t('plan.addResource')}</Button>}
        />
        <Typography.Text strong>{t('plan.notifications')}</Typography.Text>
        <Table<PlanNotification>
          size="small"
          rowKey={(_, i) => String(i)}
          pagination={false}
          dataSource={l.notifications}
          columns={[
            { title: t('plan.step.key'), width: 120, render: (_, n, i) => <Input value={n.key} onChange={(e) => setLevel(l.level, (x) => ({ ...x, notifications: patchAt(x.notifications, i, { key: e.target.value }) }))} /> },
            {
              title: t('plan.notification.severity'), width: 130,
              render: (_, n, i) => (
                <Select style={{ width: '100%' }} value={n.severity} options={(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const).map((v) => ({ value: v, label: v }))}
                  onChange={(v) => setLevel(l.level, (x) => ({ ...x, notifications: patchAt(x.notifications, i, { severity: v }) }))} />
              ),
            },
            {
              title: t('plan.notification.text'),
              render: (_, n, i) => {
                const set = (patch: Partial<PlanNotification>) => setLevel(l.level, (x) => ({ ...x, notifications: patchAt(x.notifications, i, patch) }));
                return (
                  <Flex vertical gap={4}>
                    <Input placeholder={t('plan.notification.headlineZh')} value={n.headlineZh} onChange={(e) => set({ headlineZh: e.target.value })} />
                    <Input.TextArea placeholder={t('plan.notification.textZh')} autoSize value={n.textZh} onChange={(e) => set({ textZh: e.target.value })} />
                    <Input placeholder={t('plan.notification.headlineEn')} value={n.headlineEn} onChange={(e) => set({ headlineEn: e.target.value })} />
                    <Input.TextArea placeholder={t('plan.notification.textEn')} autoSize value={n.textEn} onChange={(e) => set({ textEn: e.target.value })} />
                  </Flex>
                );
              },
            },
            {
              title: t('plan.notification.area'), width: 140,
              render: (_, n, i) => (
                <InputNumber min={0} placeholder={t('plan.notification.region')} value={n.area.kind === 'radius' ? n.area.radiusKm : null} addonAfter="km"
                  onChange={(v) => setLevel(l.level, (x) => ({ ...x, notifications: patchAt(x.notifications, i, { area: v ? { kind: 'radius', radiusKm: v } : { kind: 'incident-region' } }) }))} />
              ),
            },
            { width: 48, render: (_, _n, i) => <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('plan.remove')} onClick={() => setLevel(l.level, (x) => ({ ...x, notifications: x.notifications.filter((_y, k) => k !== i) }))} /> },
          ]}
          footer={() => <Button size="small" icon={<PlusOutlined />} onClick={() => setLevel(l.level, (x) => ({ ...x, notifications: [...x.notifications, newNotification(x.notifications.length + 1)] }))}>{t('plan.addNotification')}</Button>}
        />
        <div>
          <Button danger size="small" disabled={content.levels.length <= 1} onClick={() => setContent((c) => ({ ...c, levels: c.levels.filter((x) => x.level !== l.level) }))}>{t('plan.removeLevel')}</Button>
        </div>
      </Flex>
    ),
  });

  return (
    <Flex vertical gap={12} data-testid="plan-editor">
      {error !== undefined && <ErrorAlert error={error} />}
      <Input addonBefore={t('plan.name')} value={content.name} onChange={(e) => setContent((c) => ({ ...c, name: e.target.value }))} style={{ width: 360 }} />
      {/* Applicable regions by name (their codes are the values); the picker offers only regions of the user's scope. */}
      <Flex wrap gap={8} align="center" data-testid="plan-applicable-regions">
        <Typography.Text type="secondary">{t('plan.applicableRegions')}</Typography.Text>
        {content.applicableRegions.map((code) => (
          <Tag key={code} closable style={{ marginInlineEnd: 0 }} data-code={code} onClose={() => setContent((c) => ({ ...c, applicableRegions: c.applicableRegions.filter((x) => x !== code) }))}>
            <RegionName code={code} />
          </Tag>
        ))}
        {/* Keyed by the list so that it is empty again once a region is added. */}
        <RegionPicker key={content.applicableRegions.join()} value={null} allowClear={false} placeholder={t('plan.addApplicableRegion')} style={{ width: 220 }} data-testid="plan-applicable-region-picker"
          onChange={(code) => code && setContent((c) => (c.applicableRegions.includes(code) ? c : { ...c, applicableRegions: [...c.applicableRegions, code] }))} />
      </Flex>
      <Tabs
        items={[...content.levels].sort((a, b) => GRADES.indexOf(a.level) - GRADES.indexOf(b.level)).map(levelTab)}
        tabBarExtraContent={missing.length ? (
          <Select<Grade> size="small" placeholder={t('plan.addLevel')} style={{ width: 120 }} value={null} options={missing.map((g) => ({ value: g, label: t('plan.levelN', { level: g }) }))}
            onChange={(g) => setContent((c) => ({ ...c, levels: [...c.levels, { level: g, steps: [newStep(1)], resources: [], notifications: [] }] }))} />
        ) : undefined}
      />
      <Space>
        <Button type="primary" loading={busy} onClick={() => void save()} data-testid="plan-save">{t('common.save')}</Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </Space>
    </Flex>
  );
}
