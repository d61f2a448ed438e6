// SPDX-License-Identifier: Apache-2.0
// 中文 / English, remembered across visits.
import { Segmented } from 'antd';
import { type Language, useI18n } from '../i18n/i18n.tsx';

/** A two-way switch between Chinese and English. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Language>
      size="small"
      value={lang}
      onChange={setLang}
      aria-label={t('lang.label')}
      data-testid="lang-switch"
      options={[
        { value: 'zh-CN', label: <span data-testid="lang-zh-CN">中文</span> },
        { value: 'en', label: <span data-testid="lang-en">EN</span> },
      ]}
    />
  );
}
