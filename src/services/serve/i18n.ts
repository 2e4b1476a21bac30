// The portal's languages: one message catalogue per language (i18n/*.ts), chosen from ?lang=, then
// the Accept-Language header, then English. Arabic and Persian are written right to left.
import ar from './i18n/ar.js'
import en from './i18n/en.js'
import fa from './i18n/fa.js'
import ru from './i18n/ru.js'

export type MessageKey = keyof typeof en
export type Catalogue = Record<MessageKey, string>

export const LANGS = ['en', 'ar', 'fa', 'ru'] as const
export type Lang = (typeof LANGS)[number]
export const CATALOGUES: Record<Lang, Catalogue> = {en, ar, fa, ru}
const RTL = new Set<Lang>(['ar', 'fa'])

export const isLang = (s: string | null | undefined): s is Lang => s != null && (LANGS as readonly string[]).includes(s)
export const dirOf = (lang: Lang): 'rtl' | 'ltr' => (RTL.has(lang) ? 'rtl' : 'ltr')

/** The best of our languages for an Accept-Language header ("ar-EG,ar;q=0.9,en;q=0.5"). */
export function fromAcceptLanguage(header: string | null | undefined): Lang {
  if (!header) return 'en'
  const wanted = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return {lang: (tag ?? '').trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q), i}
    })
    .filter((w) => w.q > 0 && !Number.isNaN(w.q))
    .sort((a, b) => b.q - a.q || a.i - b.i)
  return wanted.map((w) => w.lang).find(isLang) ?? 'en'
}

export function pickLang(query: string | null | undefined, acceptLanguage: string | null | undefined): Lang {
  return isLang(query) ? query : fromAcceptLanguage(acceptLanguage)
}

/** A message with {placeholders} filled in (values are plain text; the templates escape them). */
export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  const text = CATALOGUES[lang][key] ?? en[key]
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m))
}
