// SPDX-License-Identifier: Apache-2.0
// The console's language: zh-CN first, English second; the choice survives reloads in localStorage.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './messages-en.ts';
import { type MessageKey, type Messages, zhCN } from './messages-zh-cn.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'yz.lang';
const MESSAGES: Record<Language, Messages> = { 'zh-CN': zhCN, en };

/** Values substituted for `{name}` placeholders. */
export type MessageVars = Record<string, string | number>;

/** Translates a key in the current language. */
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

type I18n = { lang: Language; setLang: (lang: Language) => void; t: Translate };

const I18nContext = createContext<I18n | null>(null);

function isLanguage(value: string | null): value is Language {
  return value !== null && (LANGUAGES as readonly string[]).includes(value);
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be blocked (private mode, policies): fall back to Chinese.
  }
  return 'zh-CN';
}

/** Fills `{name}` placeholders of `template`. */
export function format(template: string, vars?: MessageVars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Provides the language and `t` to the tree below. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);

  const setLang = useCallback((next: Language) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${MESSAGES[lang]['app.name']} · ${MESSAGES[lang]['app.tagline']}`;
  }, [lang]);

  const value = useMemo<I18n>(() => {
    const messages = MESSAGES[lang];
    return { lang, setLang, t: (key, vars) => format(messages[key], vars) };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its setter and `t`. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
