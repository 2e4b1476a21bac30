// Rules for satisfaction ratings, links between tickets and merging duplicates. Like ticket-ops.ts:
// each validates against the ticket(s) and returns the events to append; time, actor and ids come in.
import {TixError, usageError} from '../../errors.js'
import {ratingOfScore} from './fold.js'
import {INVERSE_LINK, RATINGS, type LinkKind, type Rating, type Ticket} from './model.js'
import type {NewEvent, OpContext} from './ticket-ops.js'
import {shortIdPrefix} from './ids.js'

const base = (ctx: OpContext, type: string) => ({v: 1 as const, id: ctx.newEventId(), at: ctx.at, by: ctx.by, type})
const short = shortIdPrefix

/** "good" | "neutral" | "bad" | "1".."5" -> the rating and the raw score (null for words). */
export function parseRating(input: string): {rating: Rating; score: number | null} {
  const s = input.trim().toLowerCase()
  if ((RATINGS as readonly string[]).includes(s)) return {rating: s as Rating, score: null}
  if (/^[1-5]$/.test(s)) return {rating: ratingOfScore(Number(s)), score: Number(s)}
  throw usageError(`Rating "${input}" is not valid: expected good, neutral, bad or a score from 1 to 5.`, 'tix rate 7K3F9 good   or   tix rate 7K3F9 4')
}

export function rate(t: Ticket, input: string, opts: {comment?: string}, ctx: OpContext): NewEvent[] {
  const {rating, score} = parseRating(input)
  const comment = opts.comment?.trim() || null
  if (comment !== null && comment.length > 5000) throw usageError('The comment is longer than 5000 characters.')
  if (t.mergedInto !== undefined) {
    throw new TixError(`Ticket ${short(t.id)} was merged into ${short(t.mergedInto)}; rate that one.`, {hint: `tix rate ${short(t.mergedInto)} ${input}`})
  }
  return [{...base(ctx, 'rate'), rating, score, comment}]
}

/** A link is an event on each ticket, each side seeing the relation from its own end. */
export function link(a: Ticket, b: Ticket, kind: LinkKind, ctx: OpContext): {a: NewEvent[]; b: NewEvent[]} {
  if (a.id === b.id) throw usageError('A ticket cannot be linked to itself.')
  const inverse = INVERSE_LINK[kind]
  const hasA = (a.links ?? []).some((l) => l.id === b.id && l.as === kind)
  const hasB = (b.links ?? []).some((l) => l.id === a.id && l.as === inverse)
  return {
    a: hasA ? [] : [{...base(ctx, 'link'), target: b.id, as: kind}],
    b: hasB ? [] : [{...base(ctx, 'link'), target: a.id, as: inverse}],
  }
}

export function unlink(a: Ticket, b: Ticket, ctx: OpContext): {a: NewEvent[]; b: NewEvent[]} {
  return {
    a: (a.links ?? []).some((l) => l.id === b.id) ? [{...base(ctx, 'unlink'), target: b.id}] : [],
    b: (b.links ?? []).some((l) => l.id === a.id) ? [{...base(ctx, 'unlink'), target: a.id}] : [],
  }
}

/**
 * Merging a duplicate: the source gets a `merge` event (pointing at the target, closing it), the
 * target a `merged-in` event (its thread then shows the source's messages). Nothing is deleted.
 */
export function merge(source: Ticket, target: Ticket, opts: {reason?: string}, ctx: OpContext): {source: NewEvent[]; target: NewEvent[]} {
  const s = short(source.id)
  const d = short(target.id)
  if (source.id === target.id) throw usageError('A ticket cannot be merged into itself.')
  if (source.mergedInto !== undefined) {
    throw new TixError(`Ticket ${s} was already merged into ${short(source.mergedInto)}.`, {hint: `tix show ${short(source.mergedInto)}`})
  }
  if (target.mergedInto !== undefined) {
    throw new TixError(`Ticket ${d} was itself merged into ${short(target.mergedInto)}; merge into that one.`, {
      hint: `tix merge ${s} --into ${short(target.mergedInto)}`,
    })
  }
  if (source.status === 'closed') {
    throw new TixError(`Ticket ${s} is closed: closed is final, so it cannot be merged.`, {hint: `Link it instead: tix link ${s} ${d} --as duplicate`})
  }
  if (target.status === 'closed') {
    throw new TixError(`Ticket ${d} is closed and takes no more messages.`, {hint: `Reopen it first (tix reopen ${d}) or merge into another ticket.`})
  }
  const reason = opts.reason?.trim() || null
  return {
    source: [{...base(ctx, 'merge'), into: target.id, reason}],
    target: [{...base(ctx, 'merged-in'), from: source.id, reason}],
  }
}
