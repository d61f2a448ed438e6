// SPDX-License-Identifier: Apache-2.0
// The facts of one region: code, level, names, population, area and validity.
import { Descriptions, Tag, Typography } from 'antd';
import type { Region } from '../../../../contracts/regions.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LEVEL_COLORS } from '../../lib/domain.ts';
import { formatArea, formatDate, formatNumber } from '../../lib/format.ts';

/** A Descriptions list of `region`. */
export function RegionDetails({ region }: { region: Region }) {
  const { t, lang } = useI18n();
  const density = region.population !== null && region.areaKm2 ? region.population / region.areaKm2 : null;
  return (
    <Descriptions
      data-testid="region-details"
      size="small"
      column={{ xs: 1, sm: 2, xl: 3 }}
      items={[
        { key: 'name', label: t('region.name'), children: <b data-testid="region-details-name">{region.name}</b> },
        { key: 'nameEn', label: t('region.nameEn'), children: region.nameEn ?? t('common.none') },
        {
          key: 'level',
          label: t('region.level'),
          children: (
            <Tag color={LEVEL_COLORS[region.level]} variant="filled">
              {t(`level.${region.level}`)}
            </Tag>
          ),
        },
        {
          key: 'code',
          label: t('region.code'),
          children: (
            <Typography.Text copyable className="yz-mono" data-testid="region-details-code">
              {region.code}
            </Typography.Text>
          ),
        },
        {
          key: 'population',
          label: t('region.population'),
          children: `${formatNumber(region.population, lang)} ${region.population !== null ? t('region.populationUnit') : ''}`,
        },
        { key: 'area', label: t('region.area'), children: formatArea(region.areaKm2, lang) },
        { key: 'density', label: t('region.density'), children: `${formatNumber(density, lang)} ${density !== null ? t('region.densityUnit') : ''}` },
        {
          key: 'children',
          label: t('region.children'),
          children: region.childCount === undefined ? t('common.none') : t('region.childrenCount', { count: region.childCount }),
        },
        {
          key: 'validity',
          label: t('region.validity'),
          children: `${formatDate(region.validFrom)} → ${region.validTo ? formatDate(region.validTo) : t('common.untilNow')}`,
        },
      ]}
    />
  );
}
