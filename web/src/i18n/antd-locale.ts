// SPDX-License-Identifier: Apache-2.0
// Ant Design's own texts (pagination, empty states, pickers) in the console's language.
import type { Locale } from 'antd/es/locale/index.js';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import type { Language } from './i18n.tsx';

// antd ships no package "type", so the compiler reads these ES modules as CommonJS and types the default
// import as `{ default: Locale }`, while the bundler hands us the Locale itself. Accept either shape.
function unwrap(m: { default: Locale }): Locale {
  return 'default' in m ? m.default : m;
}

const LOCALES: Record<Language, Locale> = { 'zh-CN': unwrap(zhCNModule), en: unwrap(enUSModule) };

/** The antd locale for `lang`. */
export function antdLocale(lang: Language): Locale {
  return LOCALES[lang];
}
