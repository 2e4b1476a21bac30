import {describe, expect, it} from 'vitest'
import {emptyTicket} from '../../src/domain/ticket/fold.js'
import type {TicketSummary} from '../../src/domain/ticket/model.js'
import {sorter} from '../../src/domain/queue/query.js'

const t = (id: string, priority: TicketSummary['priority'], createdAt: string): TicketSummary => ({...emptyTicket(id), priority, createdAt})

describe('sort by SLA due', () => {
  it('puts the soonest due first, tickets without a running clock last (by priority)', () => {
    const due: Record<string, string | null> = {A: '2026-03-12T15:00:00Z', B: '2026-03-12T13:00:00Z', C: null, D: null}
    const list = [t('A', 'low', '2026-03-01'), t('C', 'low', '2026-03-02'), t('B', 'low', '2026-03-03'), t('D', 'urgent', '2026-03-04')]
    expect(list.sort(sorter('due', {dueOf: (x) => due[x.id] ?? null})).map((x) => x.id)).toEqual(['B', 'A', 'D', 'C'])
  })
})
