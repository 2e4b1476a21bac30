// The portal's pages: plain server-rendered HTML, no script. Every value from a ticket, a request or
// the desk goes through esc() (the `html` tag does it for every interpolation unless the value is
// already markup made here), so nothing a stranger typed can become markup.
import {RTL as RTL_LANGS, type Article} from '../../domain/kb/article.js'
import {ratingOfScore} from '../../domain/ticket/fold.js'
import type {ThreadEntry, Ticket} from '../../domain/ticket/model.js'
import type {KbDoc} from '../../store/kb-index.js'
import {dirOf, LANGS, CATALOGUES, t, type Lang, type MessageKey} from './i18n.js'

export class Markup {
  constructor(readonly value: string) {}
  toString() {
    return this.value
  }
}

// Control characters other than tab/newline have no business in a page (they are shown as U+FFFD).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;'}

export function esc(value: unknown): string {
  return String(value ?? '').replace(CONTROL, '\uFFFD').replace(/[&<>"'`]/g, (c) => ENTITIES[c]!)
}

type Value = Markup | string | number | null | undefined | boolean | readonly Value[]

function render(v: Value): string {
  if (v instanceof Markup) return v.value
  if (Array.isArray(v)) return v.map(render).join('')
  if (v === null || v === undefined || v === false) return ''
  return esc(v)
}

/** A template whose interpolations are escaped (arrays joined, Markup kept as it is). */
export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0]!
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!))
  return new Markup(out)
}

export const STYLESHEET = `:root{--fg:#1b1b1f;--muted:#4a4a55;--bg:#fff;--panel:#f4f5f7;--line:#c9ccd3;--accent:#0b57d0;--accent-fg:#fff;--focus:#b3261e;--ok:#146c2e;--warn:#7a4d00}
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",Tahoma,sans-serif;color:var(--fg);background:var(--bg)}
.skip{position:absolute;inset-inline-start:-999px}.skip:focus{inset-inline-start:1rem;top:1rem;background:var(--bg);padding:.5rem;z-index:1}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;justify-content:space-between;border-bottom:1px solid var(--line)}
header .desk{font-weight:700;font-size:1.15rem;color:var(--fg);text-decoration:none}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.75rem;margin:0;padding:0}
nav a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:var(--accent)}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{font-weight:400;color:var(--muted);font-size:.9rem}
input[type=text],input[type=email],input[type=search],select,textarea{width:100%;font:inherit;padding:.6rem;border:1px solid var(--muted);border-radius:.3rem;background:var(--bg);color:var(--fg)}
textarea{min-height:8rem;resize:vertical}
input[type=file]{font:inherit}
button{font:inherit;font-weight:600;margin-top:1rem;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:var(--accent);color:var(--accent-fg);cursor:pointer}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
fieldset{border:1px solid var(--line);border-radius:.3rem;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:600;padding:0 .25rem}
fieldset label{display:inline-flex;gap:.35rem;align-items:center;font-weight:400;margin:.5rem 1.25rem 0 0}
.search{display:flex;gap:.5rem;align-items:flex-end}.search button{margin:0}
.box{background:var(--panel);border:1px solid var(--line);border-radius:.4rem;padding:1rem;margin:1rem 0}
.notice{border-inline-start:.3rem solid var(--ok);background:var(--panel);padding:.75rem 1rem;margin:1rem 0}
.error{border-inline-start:.3rem solid var(--focus);background:#fdf0ef;padding:.75rem 1rem;margin:1rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.status{display:inline-block;padding:.1rem .6rem;border-radius:1rem;background:var(--panel);border:1px solid var(--line);font-weight:600}
ol.thread{list-style:none;padding:0;margin:0}
ol.thread li{border:1px solid var(--line);border-radius:.4rem;padding:.75rem 1rem;margin:.75rem 0}
ol.thread li.mine{background:var(--panel)}
.meta{color:var(--muted);font-size:.9rem;margin:0 0 .35rem}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.ticket-no{font-size:2rem;font-weight:700;letter-spacing:.05em}
ul.kb{list-style:none;padding:0;margin:0}ul.kb li{margin:.75rem 0}
.summary{margin:.15rem 0 0;color:var(--muted)}
.article{overflow-wrap:anywhere}.article pre{overflow-x:auto;background:var(--panel);border:1px solid var(--line);border-radius:.3rem;padding:.75rem}
.article blockquote{border-inline-start:.3rem solid var(--line);margin:1rem 0;padding:0 1rem}
.vote button{margin-inline-end:.75rem}
footer{color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
@media (max-width:30rem){header,main,footer{padding:.75rem}h1{font-size:1.3rem}}
`

export interface Page {
  lang: Lang
  title: string
  deskName: string
  /** The current path (for the language links). */
  path: string
  body: Markup
  /** Extra query parameters the language links keep (e.g. a search). */
  keep?: Record<string, string>
}

export function layout(p: Page): string {
  const langLink = (l: Lang) => {
    const q = new URLSearchParams({...(p.keep ?? {}), lang: l})
    return html`<li><a href="${p.path}?${q.toString()}" lang="${l}" hreflang="${l}"${l === p.lang ? html` aria-current="true"` : ''}>${CATALOGUES[l].langName}</a></li>`
  }
  return `<!doctype html>\n${html`<html lang="${p.lang}" dir="${dirOf(p.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title} · ${p.deskName}</title>
<link rel="stylesheet" href="/static/portal.css">
</head>
<body>
<a class="skip" href="#main">${t(p.lang, 'skip')}</a>
<header>
<a class="desk" href="/?lang=${p.lang}">${p.deskName}</a>
<nav aria-label="${t(p.lang, 'language')}"><ul>${LANGS.map(langLink)}</ul></nav>
</header>
<main id="main">
${p.body}
</main>
</body>
</html>`}\n`
}

export interface FormView {
  lang: Lang
  csrf: string
  departments: {key: string; name: string}[]
  values?: Partial<Record<'name' | 'email' | 'subject' | 'description' | 'department', string>>
  error?: string | null
  fileLimit: string | null
  maxFiles?: number
  kb: boolean
}

export function homePage(v: FormView): Markup {
  const L = (k: MessageKey, vars?: Record<string, string>) => t(v.lang, k, vars)
  const val = v.values ?? {}
  const req = html`<span class="hint">(${L('required')})</span>`
  return html`<h1>${L('homeTitle')}</h1>
<p>${L('homeIntro')}</p>
${v.kb ? html`<div class="box">${kbSearchForm(v.lang, '')}<p><a href="/kb?lang=${v.lang}">${L('kbAllArticles')}</a></p></div>` : ''}
${v.error ? html`<p class="error" role="alert">${L('badInput', {message: v.error})}</p>` : ''}
<form method="post" action="/requests?lang=${v.lang}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${v.csrf}">
<label for="name">${L('name')} ${req}</label>
<input type="text" id="name" name="name" required maxlength="200" autocomplete="name" value="${val.name ?? ''}">
<label for="email">${L('email')} ${req}</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email" value="${val.email ?? ''}">
<label for="subject">${L('subject')} ${req}</label>
<input type="text" id="subject" name="subject" required maxlength="300" value="${val.subject ?? ''}">
<label for="description">${L('description')} ${req}</label>
<textarea id="description" name="description" required maxlength="20000">${val.description ?? ''}</textarea>
${v.departments.length > 0 ? html`<label for="department">${L('department')}</label>
<select id="department" name="department"><option value="">${L('anyDepartment')}</option>${v.departments.map((d) => html`<option value="${d.key}"${val.department === d.key ? html` selected` : ''}>${d.name}</option>`)}</select>` : ''}
${v.fileLimit ? html`<label for="file">${L('file')} <span class="hint">${L('fileHint', {max: v.fileLimit})}</span></label>
<input type="file" id="file" name="file"${(v.maxFiles ?? 1) > 1 ? html` multiple` : ''}>` : ''}
<button type="submit">${L('send')}</button>
</form>`
}

export interface TicketView {
  lang: Lang
  ticket: Ticket
  shortId: string
  /** Public entries only: the caller filters, and this function checks again. */
  thread: readonly ThreadEntry[]
  csrf: string
  action: string
  notice?: string | null
  error?: string | null
  /** A 1-5 score from a survey link (?score=N): the matching answer is chosen, nothing is recorded. */
  score?: number | null
}

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) + ' UTC' : '-')

export function ticketPage(v: TicketView): Markup {
  const L = (k: MessageKey, vars?: Record<string, string>) => t(v.lang, k, vars)
  const tk = v.ticket
  const me = tk.requester.email?.toLowerCase() ?? null
  const entries = v.thread.filter((e) => e.public && e.kind === 'reply')
  const done = tk.status === 'resolved' || tk.status === 'closed'
  // A survey's score chooses its answer the way `tix rate` counts it (4-5 good, 3 neutral, 1-2 bad).
  const chosen = v.score != null && Number.isInteger(v.score) && v.score >= 1 && v.score <= 5 ? ratingOfScore(v.score) : null
  const ratingWord = (r: string) => L(r === 'good' ? 'rateGood' : r === 'bad' ? 'rateBad' : 'rateNeutral')
  return html`<h1>${L('ticketTitle', {id: v.shortId})}: <bdi>${tk.title}</bdi></h1>
${v.notice ? html`<p class="notice" role="status">${v.notice}</p>` : ''}
${v.error ? html`<p class="error" role="alert">${v.error}</p>` : ''}
<dl class="facts">
<dt>${L('status')}</dt><dd><span class="status" data-status="${tk.status}">${L(`status.${tk.status}` as MessageKey)}</span></dd>
<dt>${L('opened')}</dt><dd><time datetime="${tk.createdAt}">${when(tk.createdAt)}</time></dd>
<dt>${L('updated')}</dt><dd><time datetime="${tk.updatedAt}">${when(tk.updatedAt)}</time></dd>
${tk.resolution && done ? html`<dt>${L('resolution')}</dt><dd class="body">${tk.resolution}</dd>` : ''}
</dl>
<h2>${L('conversation')}</h2>
<div class="box"><p class="body">${tk.body}</p></div>
${entries.length === 0 ? html`<p>${L('noMessages')}</p>` : html`<ol class="thread">${entries.map((e) => {
    const mine = me !== null && e.author.toLowerCase() === me
    return html`<li class="${mine ? 'mine' : 'agent'}" data-kind="reply"><p class="meta"><strong>${mine ? L('you') : L('support')}</strong> · <time datetime="${e.at}">${when(e.at)}</time></p><p class="body">${e.body}</p></li>`
  })}</ol>`}
${tk.status === 'closed' ? html`<p>${L('replyClosed')}</p>` : html`<form method="post" action="${v.action}">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="action" value="reply">
<label for="reply">${L('replyLabel')}</label>
<textarea id="reply" name="body" required maxlength="20000"></textarea>
<button type="submit">${L('replySend')}</button>
</form>`}
${done ? html`<section id="rate" aria-labelledby="rate-title"><h2 id="rate-title">${L('rateTitle')}</h2>
${tk.satisfaction ? html`<p data-rated="${tk.satisfaction.rating}">${L('rated', {rating: ratingWord(tk.satisfaction.rating)})}</p>` : ''}
${chosen ? html`<p class="notice" role="status">${L('rateChosen', {send: L('rateSend')})}</p>` : ''}
<form method="post" action="${v.action}#rate">
<input type="hidden" name="csrf" value="${v.csrf}">
<input type="hidden" name="action" value="rate">
${chosen ? html`<input type="hidden" name="score" value="${v.score!}">` : ''}
<fieldset><legend>${L('rateTitle')}</legend>
${(['good', 'neutral', 'bad'] as const).map((r) => html`<label><input type="radio" name="rating" value="${r}" required${(chosen ?? tk.satisfaction?.rating) === r ? html` checked` : ''}> ${ratingWord(r)}</label>`)}
</fieldset>
<label for="comment">${L('rateComment')}</label>
<textarea id="comment" name="comment" maxlength="5000"></textarea>
<button type="submit">${L('rateSend')}</button>
</form></section>` : ''}`
}

export function messagePage(lang: Lang, title: string, text: string, back = true): Markup {
  return html`<h1>${title}</h1><p class="error" role="alert">${text}</p>${back ? html`<p><a href="/?lang=${lang}">${t(lang, 'back')}</a></p>` : ''}`
}

// ------------------------------------------------------------------ the knowledge base

const isLangKey = (l: string): l is Lang => (LANGS as readonly string[]).includes(l)
/** A language's name as its speakers write it (our four), else its code. */
const langName = (l: string) => (isLangKey(l) ? CATALOGUES[l].langName : l)
const textDir = (l: string) => (RTL_LANGS.has(l.split('-')[0]!) ? 'rtl' : 'ltr')

export function kbSearchForm(lang: Lang, query: string): Markup {
  return html`<form method="get" action="/kb" role="search">
<label for="kbq">${t(lang, 'kbSearch')}</label>
<div class="search"><input type="search" id="kbq" name="q" maxlength="200" value="${query}"><input type="hidden" name="lang" value="${lang}"><button type="submit">${t(lang, 'kbSearchButton')}</button></div>
</form>`
}

export interface KbEntry {
  doc: KbDoc
  fallback: boolean
}

function kbItem(lang: Lang, e: KbEntry, showCategory: boolean): Markup {
  const d = e.doc
  return html`<li data-slug="${d.slug}" data-lang="${d.lang}"><a href="/kb/${d.slug}?lang=${lang}" lang="${d.lang}" dir="${textDir(d.lang)}"><bdi>${d.title}</bdi></a>${showCategory ? html` <span class="hint" data-category="${d.category ?? ''}">· ${d.category ?? t(lang, 'kbOther')}</span>` : ''}${e.fallback ? html` <span class="hint">(${langName(d.lang)})</span>` : ''}
<p class="summary" lang="${d.lang}" dir="${textDir(d.lang)}">${d.excerpt}</p></li>`
}

/** /kb: the search form, then either the results of a search or every article by category. */
export function kbIndexPage(v: {lang: Lang; query: string; entries: KbEntry[]; searched: boolean}): Markup {
  const L = (k: MessageKey, vars?: Record<string, string | number>) => t(v.lang, k, vars)
  let list: Markup
  if (v.searched) {
    list = html`<h2>${L('kbResults', {q: v.query, count: v.entries.length})}</h2>
${v.entries.length === 0 ? html`<p>${L('kbNone')}</p>` : html`<ul class="kb" data-results>${v.entries.map((e) => kbItem(v.lang, e, true))}</ul>`}
<p><a href="/kb?lang=${v.lang}">${L('kbAllArticles')}</a></p>`
  } else if (v.entries.length === 0) {
    list = html`<p>${L('kbEmpty')}</p>`
  } else {
    const groups = new Map<string | null, KbEntry[]>()
    for (const e of v.entries) groups.set(e.doc.category, [...(groups.get(e.doc.category) ?? []), e])
    const collator = new Intl.Collator(v.lang)
    const names = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : collator.compare(a, b)))
    list = html`${names.map((name) => html`<section class="kb-category" data-category="${name ?? ''}"><h2>${name ?? L('kbOther')}</h2>
<ul class="kb">${groups.get(name)!.sort((a, b) => collator.compare(a.doc.title, b.doc.title)).map((e) => kbItem(v.lang, e, false))}</ul></section>`)}`
  }
  return html`<h1>${L('kbTitle')}</h1>
<p>${L('kbIntro')}</p>
<div class="box">${kbSearchForm(v.lang, v.query)}</div>
${list}
<p>${L('kbStillNeed')} <a href="/?lang=${v.lang}">${L('kbAskUs')}</a></p>`
}

/** /kb/<slug>: one article (its body rendered by the caller, escaped), other languages, the vote form. */
export function kbArticlePage(v: {lang: Lang; article: Article; bodyHtml: string; fallback: boolean; wanted: string; languages: string[]; csrf: string; action: string; voted: boolean}): Markup {
  const L = (k: MessageKey, vars?: Record<string, string | number>) => t(v.lang, k, vars)
  const a = v.article
  const others = v.languages.filter((l) => l !== a.lang)
  return html`<p class="meta"><a href="/kb?lang=${v.lang}">${L('kbAllArticles')}</a>${a.category ? html` · <span data-category="${a.category}">${a.category}</span>` : ''}</p>
${v.fallback ? html`<p class="notice" role="status" data-fallback="${a.lang}">${L('kbFallback', {wanted: langName(v.wanted), shown: langName(a.lang)})}</p>` : ''}
<article lang="${a.lang}" dir="${textDir(a.lang)}" data-slug="${a.slug}">
<h1><bdi>${a.title}</bdi></h1>
${a.updated ? html`<p class="meta"><time datetime="${a.updated}">${L('kbUpdated', {date: a.updated.slice(0, 10)})}</time></p>` : ''}
<div class="article">${new Markup(v.bodyHtml)}</div>
</article>
${others.length > 0 ? html`<p class="meta">${L('kbAlsoIn')} ${others.map((l, i) => html`${i > 0 ? ', ' : ''}<a href="/kb/${a.slug}?lang=${l}" lang="${l}" hreflang="${l}">${langName(l)}</a>`)}</p>` : ''}
${v.voted ? html`<p class="notice" role="status" data-voted>${L('kbThanks')}</p>` : html`<form class="vote" method="post" action="${v.action}">
<input type="hidden" name="csrf" value="${v.csrf}">
<fieldset><legend>${L('kbHelpful')}</legend>
<button type="submit" name="helpful" value="yes">${L('kbYes')}</button><button type="submit" name="helpful" value="no">${L('kbNo')}</button>
</fieldset>
</form>`}
<p>${L('kbStillNeed')} <a href="/?lang=${v.lang}">${L('kbAskUs')}</a></p>`
}
