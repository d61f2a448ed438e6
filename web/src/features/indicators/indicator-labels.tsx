// SPDX-License-Identifier: Apache-2.0
// How indicator values read: a value with its unit, its status tag, the gap to its target, alert tags, and
// names in the chosen language.
import { Tag, Typography } from 'antd';
import type { Direction, IndicatorAlert, ValueStatus } from '../../../../contracts/indicators.ts';
import { RegionName } from '../../components/region-name.tsx';
import type { Language } from '../../i18n/i18n.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';
import { ALERT_LEVEL_COLORS, ALERT_STATUS_COLORS, gapAhead, VALUE_STATUS_COLORS } from './indicators-api.ts';

/** Digits worth showing for a value of this size. */
function digitsFor(value: number): number {
  const a = Math.abs(value);
  return a >= 1000 ? 0 : a >= 10 ? 1 : 2;
}

/** A number as the indicator shows it ("—" without one). */
export function formatIndicatorNumber(value: number | null | undefined, lang: Language): string {
  if (value === null || value === undefined) return formatNumber(null, lang);
  return formatNumber(value, lang, digitsFor(value));
}

/** A value with its unit: "87.5%", "3.2 件/万人". */
export function formatIndicatorValue(value: number | null | undefined, unit: string, lang: Language): string {
  const n = formatIndicatorNumber(value, lang);
  if (value === null || value === undefined || !unit) return n;
  return unit === '%' || unit === '‰' ? `${n}${unit}` : `${n} ${unit}`;
}

/** The indicator's name in the chosen language. */
export function indicatorName(ind: { name: string; nameEn?: string | null }, lang: Language): string {
  return lang === 'en' && ind.nameEn ? ind.nameEn : ind.name;
}

export function ValueStatusTag({ status, style }: { status: ValueStatus; style?: React.CSSProperties }) {
  const { t } = useI18n();
  return (
    <Tag color={VALUE_STATUS_COLORS[status]} data-testid="value-status" data-status={status} style={{ marginInlineEnd: 0, ...style }}>
      {t(`indicator.status.${status}`)}
    </Tag>
  );
}

/** A gap (value − target) signed, with its unit; a gap of percentages is in percentage points. */
export function formatGap(gap: number, unit: string, lang: Language, pointsUnit: string): string {
  const sign = gap > 0 ? '+' : gap < 0 ? '−' : '±';
  const n = formatIndicatorNumber(Math.abs(gap), lang);
  if (unit === '%') return `${sign}${n}${pointsUnit}`;
  return `${sign}${unit ? formatIndicatorValue(Math.abs(gap), unit, lang) : n}`;
}

/** The gap to the target, signed, green when ahead and red when behind. */
export function GapText({ gap, direction, unit }: { gap: number | null; direction: Direction; unit: string }) {
  const { t, lang } = useI18n();
  if (gap === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Typography.Text type={gapAhead(gap, direction) ? 'success' : 'danger'} data-testid="value-gap" style={{ whiteSpace: 'nowrap' }}>
      {formatGap(gap, unit, lang, t('indicator.points'))}
    </Typography.Text>
  );
}

export function AlertLevelTag({ level }: { level: 'warn' | 'alarm' }) {
  const { t } = useI18n();
  return (
    <Tag color={ALERT_LEVEL_COLORS[level]} data-testid="alert-level" data-level={level} style={{ marginInlineEnd: 0 }}>
      {t(`indicator.alertLevel.${level}`)}
    </Tag>
  );
}

export function AlertStatusTag({ status }: { status: IndicatorAlert['status'] }) {
  const { t } = useI18n();
  return (
    <Tag color={ALERT_STATUS_COLORS[status]} data-testid="alert-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`indicator.alertStatus.${status}`)}
    </Tag>
  );
}

/** A region the API named in Chinese: shown as sent, or looked up for its English name. */
export function RegionLabel({ code, name }: { code: string; name: string | null }) {
  const { lang } = useI18n();
  if (lang === 'en' || !name) return <RegionName code={code} />;
  return <span title={code}>{name}</span>;
}
