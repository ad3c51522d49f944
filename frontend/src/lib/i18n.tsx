import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { de, en, type MessageKey } from "./messages";

export type Locale = "en" | "de";
const DICTS: Record<Locale, Record<MessageKey, string>> = { en, de };
const STORE = "reservo.locale";

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const forms = DICTS[locale][key].split("|");
  const text = (forms.length > 1 && vars?.n !== 1 ? forms[1] : forms[0]) ?? "";
  return vars ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`)) : text;
}

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORE);
    if (saved === "en" || saved === "de") return saved;
  } catch {
    /* no storage */
  }
  return navigator.language.toLowerCase().startsWith("de") ? "de" : "en";
}

interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  t: Translate;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children, locale: fixed }: { children: ReactNode; locale?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(fixed ?? initialLocale);
  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(STORE, l);
    } catch {
      /* no storage */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const t = useCallback<Translate>((key, vars) => translate(locale, key, vars), [locale]);
  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
