// SPDX-License-Identifier: Apache-2.0
// "As of": a slider over the last twelve months, now at the right end; the map follows when it is let go.
import { HistoryOutlined } from '@ant-design/icons';
import { Button, Flex, Slider, type SliderSingleProps, Tag, Tooltip } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { dayAt, isoDay } from './twin-format.ts';

/** Days the slider reaches back. */
export const SLIDER_DAYS = 365;

type SliderMarks = NonNullable<SliderSingleProps['marks']>;

type Props = {
  /** Days back from today: 0 is now, -365 a year ago. */
  value: number;
  onChange: (daysBack: number) => void;
};

/** The time slider with month marks and a way back to now. */
export function TimeSlider({ value, onChange }: Props) {
  const { t, lang } = useI18n();
  // While dragging, only the label follows; the map reloads once the handle is let go.
  const [dragging, setDragging] = useState(value);
  useEffect(() => setDragging(value), [value]);

  const marks = useMemo<SliderMarks>(() => {
    const today = dayAt(0);
    const out: SliderMarks = {};
    const monthName = new Intl.DateTimeFormat(lang, { month: 'short' });
    for (let m = 0; m < 12; m++) {
      const first = new Date(today.getFullYear(), today.getMonth() - m, 1);
      const offset = Math.round((first.getTime() - today.getTime()) / 86_400_000);
      // Too close to "now" at the right end to be read beside it.
      if (offset < -SLIDER_DAYS || offset > -12) continue;
      out[offset] = first.getMonth() === 0 ? String(first.getFullYear()) : monthName.format(first);
    }
    out[0] = { label: <b>{t('twin.now')}</b>, style: { whiteSpace: 'nowrap' } };
    return out;
  }, [lang, t]);

  const label = (v: number) => (v === 0 ? t('twin.now') : isoDay(dayAt(v)));

  return (
    <Flex align="center" gap={12} className="yz-twin-slider" data-testid="twin-time">
      <Tooltip title={t('twin.asOfHint')}>
        <Tag
          icon={<HistoryOutlined />}
          color={dragging === 0 ? 'default' : 'processing'}
          data-testid="twin-asof"
          data-value={value === 0 ? 'now' : isoDay(dayAt(value))}
          style={{ marginInlineEnd: 0, minWidth: 128, textAlign: 'center' }}
        >
          {dragging === 0 ? t('twin.asOfNow') : t('twin.asOf', { date: label(dragging) })}
        </Tag>
      </Tooltip>
      <div style={{ flex: 1, minWidth: 240, padding: '0 12px' }} data-testid="twin-time-slider" data-days={dragging}>
        <Slider
          min={-SLIDER_DAYS}
          max={0}
          step={1}
          marks={marks}
          value={dragging}
          onChange={setDragging}
          onChangeComplete={onChange}
          tooltip={{ formatter: (v) => (v === undefined ? '' : label(v)) }}
          aria-label={t('twin.asOfLabel')}
        />
      </div>
      <Button size="small" disabled={value === 0} onClick={() => onChange(0)} data-testid="twin-time-now">
        {t('twin.backToNow')}
      </Button>
    </Flex>
  );
}
