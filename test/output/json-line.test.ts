import {describe, expect, it} from 'vitest'
import {writeJsonLine} from '../../commands/base.js'

describe('writeJsonLine', () => {
  it('writes exactly what JSON.stringify writes, in pieces for long arrays', () => {
    const big = Array.from({length: 3000}, (_, i) => ({id: `T${i}`, title: 'x'.repeat(500), tags: ['a'], nothing: undefined, n: null}))
    for (const value of [{schemaVersion: 1, kind: 'ticket-list', count: 3000, tickets: big, skip: undefined}, {a: [1, 2]}, [1, 2], 'text', null]) {
      const chunks: string[] = []
      writeJsonLine(value, (c) => chunks.push(c))
      expect(chunks.join('')).toBe(JSON.stringify(value) + '\n')
      if (value && typeof value === 'object' && 'tickets' in value) expect(chunks.length).toBeGreaterThan(1)
    }
  })
})
