import {describe, expect, it} from 'vitest'
import {filterHasStatus, filterMatcher, filterWantsDone, parseFilter} from '../../src/domain/queue/filter.js'
import {emptyTicket} from '../../src/domain/ticket/fold.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'

const me = 'ana@example.com'
const t = (over: Partial<TicketSummary>): TicketSummary => ({...emptyTicket('7K3F9ABCDE'), title: 'Printer jams', createdAt: '2026-01-01T00:00:00.000Z', ...over})
const match = (text: string, ticket: TicketSummary, search?: Map<string, string>) => filterMatcher(parseFilter(text, {me}), search)(ticket)

describe('parseFilter', () => {
  it('splits words and key:value terms, with aliases and comma lists', () => {
    const f = parseFilter('printer "paper jam" status:pending,open p:high dept:it tag:vpn channel:email assignee:me', {me})
    expect(f.problems).toEqual([])
    expect(f.clauses).toEqual([
      {field: 'word', value: 'printer', negate: false},
      {field: 'word', value: 'paper jam', negate: false},
      {field: 'status', values: ['pending', 'open'], negate: false},
      {field: 'priority', values: ['high'], negate: false},
      {field: 'department', values: ['it'], none: false, negate: false},
      {field: 'tag', values: ['vpn'], none: false, negate: false},
      {field: 'channel', values: ['email'], negate: false},
      {field: 'assignee', values: ['=ana@example.com'], none: false, negate: false},
    ])
  })

  it('accepts a unique prefix of a value and explains the rest', () => {
    expect(parseFilter('status:pen', {me}).clauses).toEqual([{field: 'status', values: ['pending'], negate: false}])
    expect(parseFilter('status:o', {me}).problems).toEqual(['status:o could be open or on-hold; type more.'])
    expect(parseFilter('priority:big', {me}).problems[0]).toBe('priority:big is not a priority: use one of low, normal, high, urgent.')
    expect(parseFilter('status:', {me})).toEqual({clauses: [], problems: []})
  })

  it('keeps unknown keys as words (a URL, an error code)', () => {
    expect(parseFilter('http://x error:500', {me}).clauses.map((c) => c.field)).toEqual(['word', 'word'])
  })

  it('negates terms and words with a leading -', () => {
    const f = parseFilter('-tag:spam -printer', {me})
    expect(f.clauses.every((c) => c.negate)).toBe(true)
  })

  it('knows when resolved tickets are needed and when the filter picks statuses', () => {
    expect(filterWantsDone(parseFilter('status:resolved', {me}))).toBe(true)
    expect(filterWantsDone(parseFilter('status:open', {me}))).toBe(false)
    expect(filterWantsDone(parseFilter('-status:closed', {me}))).toBe(false)
    expect(filterHasStatus(parseFilter('status:open', {me}))).toBe(true)
    expect(filterHasStatus(parseFilter('vpn', {me}))).toBe(false)
  })
})

describe('filterMatcher', () => {
  it('matches every term (AND), each term any of its values (OR)', () => {
    const ticket = t({status: 'pending', priority: 'high', department: 'IT', tags: ['vpn-client'], channel: 'email', assignee: 'Ana@Example.com'})
    expect(match('status:pending,open priority:high dept:it tag:vpn channel:email assignee:me', ticket)).toBe(true)
    expect(match('status:open', ticket)).toBe(false)
    expect(match('dept:fac', ticket)).toBe(false)
    expect(match('assignee:ana', ticket)).toBe(true)
    expect(match('assignee:none', ticket)).toBe(false)
    expect(match('assignee:none', t({assignee: null}))).toBe(true)
    expect(match('-tag:vpn', ticket)).toBe(false)
  })

  it('matches words in the search text when loaded, else in title and body', () => {
    const ticket = t({title: 'Printer jams', body: 'on floor 3'})
    expect(match('printer floor', ticket)).toBe(true)
    expect(match('toner', ticket)).toBe(false)
    expect(match('toner', ticket, new Map([[ticket.id, 'printer jams toner is low']]))).toBe(true)
    expect(match('-printer', ticket)).toBe(false)
  })

  it('matches a typed id prefix, with Crockford look-alikes', () => {
    expect(match('7k3f', t({}))).toBe(true)
    expect(match('id:7K3', t({}))).toBe(true)
    expect(match('8K3F', t({}))).toBe(false)
  })

  it('matches the requester by name or e-mail', () => {
    const ticket = t({requester: {name: 'Bob Jones', email: 'bob@example.com'}})
    expect(match('from:bob', ticket)).toBe(true)
    expect(match('requester:"bob jones"', ticket)).toBe(true)
    expect(match('from:carol', ticket)).toBe(false)
  })
})
