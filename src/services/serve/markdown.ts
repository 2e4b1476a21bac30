// Article bodies on the portal: a small markdown subset rendered to HTML. The text is escaped
// first and only markup made here is added, so HTML written in an article (a <script>, an
// onerror=, a <style>) is shown as text, never passed through. Links keep only http(s), mailto and
// site-relative targets; anything else (javascript:, data:) stays plain text.
//
// Subset: # headings (shown one level down, the page's h1 is the title), paragraphs with line
// breaks, - / * / 1. lists, > quotes, ``` code blocks, `code`, **bold**, *italic*, [text](url) and
// bare http(s) addresses.
import {esc} from './html.js'

const SAFE_URL = /^(?:https?:\/\/[^\s]+|mailto:[^\s]+|\/(?!\/)[^\s]*)$/i

function inline(text: string): string {
  // Code spans first, set aside so nothing inside them is read as markup.
  const codes: string[] = []
  let s = text.replace(/`([^`\n]+)`/g, (_m, code: string) => {
    codes.push(`<code>${esc(code)}</code>`)
    return `\uE000${codes.length - 1}\uE001`
  })
  // Links, then the rest is escaped piece by piece.
  const parts: string[] = []
  const link = /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)|(https?:\/\/[^\s<>()"'`]+[^\s<>()"'`.,;:!?])/g
  let last = 0
  for (let m = link.exec(s); m !== null; m = link.exec(s)) {
    parts.push(emphasis(esc(s.slice(last, m.index))))
    const [whole, label, target, bare] = m
    const url = bare ?? target!
    if (SAFE_URL.test(url)) parts.push(`<a href="${esc(url)}" rel="noopener noreferrer nofollow">${emphasis(esc(bare ?? label!))}</a>`)
    else parts.push(emphasis(esc(whole)))
    last = m.index + whole.length
  }
  parts.push(emphasis(esc(s.slice(last))))
  s = parts.join('')
  return s.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => codes[Number(i)]!)
}

/** **bold** and *italic* on text that is already escaped (the markers are not special to HTML). */
function emphasis(escaped: string): string {
  return escaped.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[^*\w])\*([^*\s][^*\n]*?)\*(?![*\w])/g, '$1<em>$2</em>')
}

/** The article body as HTML blocks (escaped; see the top of this file). */
export function renderArticle(md: string): string {
  // Two private-use characters mark code spans above; an article's own are shown as U+FFFD.
  const lines = md.replace(/\r\n?/g, '\n').replace(/[\uE000\uE001]/g, '\uFFFD').split('\n')
  const out: string[] = []
  let i = 0
  const para: string[] = []
  const endPara = () => {
    if (para.length > 0) out.push(`<p>${para.map(inline).join('<br>')}</p>`)
    para.length = 0
  }
  while (i < lines.length) {
    const line = lines[i]!
    const fence = /^\s{0,3}(```|~~~)/.exec(line)
    if (fence) {
      endPara()
      const code: string[] = []
      i++
      while (i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!)) code.push(lines[i++]!)
      i++
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`)
      continue
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line)
    if (heading) {
      endPara()
      const level = Math.min(6, heading[1]!.length + 1)
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`)
      i++
      continue
    }
    const bullet = /^\s{0,3}([-*+]|\d{1,9}[.)])\s+/
    if (bullet.test(line)) {
      endPara()
      const ordered = /^\s{0,3}\d/.test(line)
      const items: string[] = []
      while (i < lines.length && bullet.test(lines[i]!) && /^\s{0,3}\d/.test(lines[i]!) === ordered) items.push(lines[i++]!.replace(bullet, ''))
      const tag = ordered ? 'ol' : 'ul'
      out.push(`<${tag}>${items.map((it) => `<li>${inline(it)}</li>`).join('')}</${tag}>`)
      continue
    }
    if (/^\s{0,3}>/.test(line)) {
      endPara()
      const quoted: string[] = []
      while (i < lines.length && /^\s{0,3}>/.test(lines[i]!)) quoted.push(lines[i++]!.replace(/^\s{0,3}>\s?/, ''))
      out.push(`<blockquote><p>${quoted.map(inline).join('<br>')}</p></blockquote>`)
      continue
    }
    if (line.trim() === '') endPara()
    else para.push(line.trim())
    i++
  }
  endPara()
  return out.join('\n')
}
