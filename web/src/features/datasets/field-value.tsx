// SPDX-License-Identifier: Apache-2.0
// A value of a data set row, shown as its field's type reads.
import { Tag, Typography } from 'antd';
import type { DatasetField, FieldValue } from '../../../../contracts/datasets.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../lib/format.ts';

/** The column title of a field: its label, else its name. */
export function fieldTitle(f: DatasetField): string {
  return f.label ?? f.name;
}

/** One value: numbers grouped, booleans as yes/no, missing values as a dash. */
export function FieldValueView({ field, value }: { field: DatasetField | undefined; value: FieldValue | undefined }) {
  const { t, lang } = useI18n();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  if (typeof value === 'boolean') return <Tag color={value ? 'green' : 'default'}>{value ? t('dataset.yes') : t('dataset.no')}</Tag>;
  if (typeof value === 'number') return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatNumber(value, lang, field?.type === 'integer' ? 0 : 3)}</span>;
  return <>{value}</>;
}
