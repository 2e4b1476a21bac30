import {describe, expect, it} from 'vitest'
import {writeJsonLine} from '../../commands/base.js'
import {escapeJsonControls, jsonBytes} from '../../src/output/json.js'

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

describe('jsonBytes', () => {
  it('escapes DEL and every C1 control, as jsonText does, and leaves other text byte for byte', () => {
    const clean = JSON.stringify({t: 'Принтер · «العربية» فارسی\u00a0°é\u00bf', n: 1})
    expect(jsonBytes(clean).toString('utf8')).toBe(clean)
    for (const c of ['\u007f', '\u0080', '\u009b', '\u009f']) {
      const text = JSON.stringify({t: `a${c}b «x»`})
      expect(jsonBytes(text).toString('utf8')).toBe(escapeJsonControls(text))
      expect(jsonBytes(text).toString('utf8')).toContain(`\\u00${c.charCodeAt(0).toString(16)}`)
    }
  })
})
