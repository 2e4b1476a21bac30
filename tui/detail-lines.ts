// A ticket as lines for the detail screen and the preview pane: fields, the body, then the thread
// in time order with changes inline. Public replies and internal notes look different even without
// colour (a labelled header and a different bar). All ticket text goes through safeLine/safeText.
import type {DeskConfig} from '../src/domain/config/config.js'
import {slaFields} from '../src/output/sla.js'
import {slaLookup} from '../src/services/workflow/sla.js'
import {describeEvent} from '../src/domain/ticket/describe.js'
import {shortId} from '../src/domain/ticket/ids.js'
import type {EventBase} from '../src/domain/ticket/events.js'
import {safeLine, safeText, truncate, width, wrap} from '../src/output/text.js'
import {detailRows, type DetailRow, type Tone} from '../src/output/ticket-view.js'
import type {LoadedTicket} from '../src/store/desk.js'
import {priorityTone, statusTone} from './theme.js'
import {seg, type LineSpec} from './components/Line.js'

const stamp = (iso: string) => iso.replace('T', ' ').slice(0, 16)

/** The two lines that stay on top while the rest scrolls. */
export function detailHeader(l: LoadedTicket, ids: readonly string[], width: number): LineSpec[] {
  const t = l.ticket
  return [
    [seg(shortId(ids, t.id), {bold: true, tone: 'accent'}), seg('  '), seg(truncate(safeLine(t.title), Math.max(10, width - 8)), {bold: true})],
    [
      seg(t.status, {tone: statusTone(t.status), bold: true}),
      seg(' · '),
      seg(`${t.priority} priority`, {tone: priorityTone(t.priority)}),
      seg(` · ${t.type} · via ${t.channel}${t.tier > 1 ? ` · tier ${t.tier}` : ''}`),
    ],
  ]
}

export function detailBody(l: LoadedTicket, ids: readonly string[], opts: {now: Date; width: number; config?: DeskConfig | null}): LineSpec[] {
  const t = l.ticket
  const w = Math.max(20, opts.width)
  const out: LineSpec[] = []
  // The same rows as `tix show` (src/output/ticket-view.ts): satisfaction, merges and links included.
  const slaRows: DetailRow[] = []
  if (opts.config) {
    // The SLA clocks, in the same words as `tix show`.
    const sla = slaLookup(opts.config, opts.now)(t)
    for (const [k, v] of slaFields(sla)) {
      const tone = v.startsWith('breached') ? 'bad' : v.startsWith('at risk') || v.startsWith('warning') ? 'warn' : sla?.state === 'met' ? 'dim' : undefined
      slaRows.push({key: k, parts: [{text: v, tone}]})
    }
  }
  const toneOf = (tone: Tone | undefined) => (tone === 'good' ? {tone: 'ok' as const} : tone === 'bad' ? {tone: 'error' as const} : tone === 'warn' ? {tone: 'warn' as const} : tone === 'dim' ? {dim: true} : tone === 'bold' ? {bold: true} : {})
  for (const r of detailRows(t, ids, {now: opts.now, extra: slaRows})) {
    let room = w - 15
    const segs = [seg(r.key.padEnd(15), {dim: true})]
    for (const p of r.parts) {
      if (room <= 0) break
      const text = truncate(p.text, room)
      room -= width(text)
      segs.push(seg(text, toneOf(p.tone)))
    }
    out.push(segs)
  }
  if (t.body.trim() !== '') {
    out.push([])
    for (const line of wrap(safeText(t.body), w)) out.push([seg(line)])
  }
  const rest = l.events.filter((e) => e.type !== 'create')
  if (rest.length > 0) {
    out.push([])
    const title = ` Thread: ${t.replyCount} ${t.replyCount === 1 ? 'reply' : 'replies'}, ${t.noteCount} ${t.noteCount === 1 ? 'note' : 'notes'} `
    out.push([seg('──' + title + '─'.repeat(Math.max(0, w - title.length - 2)), {dim: true})])
    for (const e of rest) out.push(...eventLines(e, w))
  }
  if (t.notices.length > 0) {
    out.push([], [seg('Noticed:', {tone: 'warn', bold: true})])
    for (const n of t.notices) for (const line of wrap(safeLine(n), w - 2)) out.push([seg('  ' + line, {tone: 'warn'})])
  }
  if (l.problems.length > 0) {
    out.push([], [seg('Skipped lines in the file:', {tone: 'warn', bold: true})])
    for (const p of l.problems) out.push([seg(truncate(`  line ${p.line}: ${safeLine(p.reason)}`, w), {tone: 'warn'})])
  }
  return out
}

function eventLines(e: EventBase, w: number): LineSpec[] {
  if (e.type === 'reply' || e.type === 'note') {
    const isReply = e.type === 'reply'
    const author = safeLine(String(e.author ?? e.by))
    const tone = isReply ? 'reply' : 'note'
    const bar = isReply ? '│ ' : '┆ '
    const out: LineSpec[] = [
      [],
      [
        seg(isReply ? '▌PUBLIC REPLY ' : '▌INTERNAL NOTE ', {tone, bold: true}),
        seg(author, {bold: true}),
        seg(`  ${stamp(e.at)}`, {dim: true}),
        ...(isReply ? [] : [seg('  (agents only)', {tone: 'note', italic: true})]),
      ],
    ]
    for (const line of wrap(safeText(String(e.body ?? '')), w - 2)) out.push([seg(bar, {tone}), seg(line, {italic: !isReply})])
    return out
  }
  return [[seg(`· ${stamp(e.at)} `, {dim: true}), seg(truncate(`${safeLine(e.by)}: ${safeLine(describeEvent(e))}`, w - 19), {dim: true})]]
}
