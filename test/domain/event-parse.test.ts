// parseEventLines parses a well-formed file as one JSON list (one JSON.parse a file, not one a line)
// and isIsoInstant checks times a character at a time: both must say exactly what the line-by-line
// parse and the regular expression they replaced said, for any file and any text.
import {describe, expect, it} from 'vitest'
import {isIsoInstant, isoTimeMs, parseEventLines, type EventBase, type ParseProblem} from '../../src/domain/ticket/events.js'

// ---------------------------------------------------------------- the implementations replaced

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/
function isoByRegex(s: string): boolean {
  const m = ISO_UTC.exec(s)
  if (!m) return false
  const y = +m[1]!
  const mo = +m[2]!
  const d = +m[3]!
  if (mo < 1 || mo > 12 || d < 1 || +m[4]! > 23 || +m[5]! > 59 || +m[6]! > 59) return false
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  return d <= (mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31)
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

function lineByLine(text: string): {events: EventBase[]; lines: number[]; problems: ParseProblem[]} {
  const events: EventBase[] = []
  const lines: number[] = []
  const problems: ParseProblem[] = []
  const rows = text.split('\n')
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i]!
    if (raw.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      problems.push({line: i + 1, reason: `not valid JSON (${(error as Error).message})`})
      continue
    }
    if (!isObj(value)) {
      problems.push({line: i + 1, reason: 'not a JSON object'})
      continue
    }
    const missing = ['id', 'at', 'by', 'type'].filter((k) => typeof value[k] !== 'string')
    if (typeof value.seq !== 'number' || !Number.isFinite(value.seq)) missing.push('seq')
    if (missing.length > 0) {
      problems.push({line: i + 1, reason: `missing or invalid ${missing.join(', ')}`})
      continue
    }
    const e = value as EventBase
    const wrong = !isoByRegex(e.at)
      ? `"at" is not an ISO-8601 UTC time: ${JSON.stringify(e.at.slice(0, 40))}`
      : !Number.isInteger(e.seq) || e.seq < 0 || e.seq > 2 ** 31 - 1
        ? `"seq" must be a whole number from 0 to ${2 ** 31 - 1}, not ${String(e.seq)}`
        : e.id === ''
          ? '"id" is empty'
          : null
    if (wrong !== null) {
      problems.push({line: i + 1, reason: `${wrong} (skipped)`})
      continue
    }
    events.push(e)
    lines.push(i + 1)
  }
  return {events, lines, problems}
}

// ---------------------------------------------------------------- a small deterministic random source

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const event = (n: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({v: 1, id: `E${n}`, seq: n, at: `2026-11-02T10:${String(n % 60).padStart(2, '0')}:00.000Z`, by: 'ana@example.com', type: 'reply', body: `reply ${n}`, ...over})

// Lines a file can hold: good events, bad ones, and pieces that only parse when joined to a neighbour.
const PIECES = [
  () => event(1),
  () => event(2, {body: 'a line with },{ inside a string'}),
  () => event(3, {body: 'tabs\tand\r\nescaped newlines', tags: ['x', 'y']}),
  () => event(4, {at: '2026-02-30T00:00:00Z'}),
  () => event(5, {seq: 1.5}),
  () => event(6, {id: ''}),
  () => event(7, {by: 42}),
  () => '{"v":1,"id":"E8","seq":8,"at":"2026-11-02T10:08:00Z","by":"b","type":"note","nested":[{"a":1}',
  () => '{"b":2}]}',
  () => event(9) + ',' + event(10),
  () => event(11) + ' , ' + event(12),
  () => '[1,2]',
  () => 'null',
  () => '"text"',
  () => '{"unterminated": ',
  () => '',
  () => '   ',
  () => '\r',
  () => event(13) + '\r',
  () => '  ' + event(14) + '  ',
  () => '{"a":[1',
  () => '2]}',
  () => '\u00a0',
  () => '\ufeff' + event(15),
  () => event(16, {__proto__: 'x'}),
  () => '{"id":"E17","seq":17,"at":"2026-11-02T10:17:00Z","by":"b","type":"note","seq":"dup"}',
]

describe('parseEventLines: one JSON.parse a file says what a parse line by line says', () => {
  it('on well-formed files, on files with bad lines, and on lines that parse only when joined', () => {
    const next = random(7)
    for (let n = 0; n < 4000; n++) {
      const count = 1 + Math.floor(next() * 6)
      const rows: string[] = []
      for (let i = 0; i < count; i++) rows.push(PIECES[Math.floor(next() * PIECES.length)]!())
      const end = next() < 0.8 ? '\n' : next() < 0.5 ? '' : '\n\n'
      const text = rows.join('\n') + end
      expect(parseEventLines(text), JSON.stringify(text)).toEqual(lineByLine(text))
    }
  })

  it('the joins that would fool a list parse are read line by line', () => {
    // one line holding two objects, and a value split over the two next lines: as many values as lines
    const text = [event(1) + ',' + event(2), '{"v":1,"id":"E3","seq":3,"at":"2026-11-02T10:03:00Z","by":"b","type":"note","x":[{"a":1}', '{"b":2}]}'].join('\n') + '\n'
    const parsed = parseEventLines(text)
    expect(parsed).toEqual(lineByLine(text))
    expect(parsed.events).toEqual([])
    expect(parsed.problems.map((p) => p.line)).toEqual([1, 2, 3])
  })

  it('an empty file, and a file of one event without its final newline', () => {
    for (const text of ['', '\n', event(1), `${event(1)}\n${event(2)}`]) expect(parseEventLines(text)).toEqual(lineByLine(text))
  })
})

describe('isIsoInstant: a character at a time, as the regular expression said', () => {
  it('on times, near misses and random text', () => {
    const good = ['2026-11-02T10:00:00Z', '2026-11-02T10:00:00.1Z', '2026-11-02T10:00:00.123456789Z', '2024-02-29T23:59:59.999Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z']
    const bad = ['2026-11-02T10:00:00.Z', '2026-11-02T10:00:00.1234567890Z', '2026-11-02t10:00:00Z', '2026-11-02T10:00:00z', '2026-11-02 10:00:00Z', '2026-11-02T10:00:00Z\n', ' 2026-11-02T10:00:00Z', '２026-11-02T10:00:00Z', '2026-1a-02T10:00:00Z', '+2026-11-02T10:00:00Z']
    for (const s of [...good, ...bad]) expect(isIsoInstant(s), s).toBe(isoByRegex(s))
    const next = random(11)
    const chars = '0123456789-T:.Z x'
    for (let n = 0; n < 20000; n++) {
      // mutate a valid time a little, or build one from its parts with random values
      const base = `${String(Math.floor(next() * 3000)).padStart(4, '0')}-${String(Math.floor(next() * 14)).padStart(2, '0')}-${String(Math.floor(next() * 33)).padStart(2, '0')}T${String(Math.floor(next() * 26)).padStart(2, '0')}:${String(Math.floor(next() * 62)).padStart(2, '0')}:${String(Math.floor(next() * 62)).padStart(2, '0')}${next() < 0.5 ? '' : '.' + '1234567891'.slice(0, Math.floor(next() * 11))}Z`
      const at = Math.floor(next() * base.length)
      const s = next() < 0.5 ? base : base.slice(0, at) + chars[Math.floor(next() * chars.length)] + base.slice(at + (next() < 0.5 ? 1 : 0))
      expect(isIsoInstant(s), s).toBe(isoByRegex(s))
    }
  })
})

describe('isoTimeMs: the time Date.parse says, without it', () => {
  it('on every kind of instant tix writes, from year 0 to 9999, and on anything else', () => {
    const next = random(13)
    const two = (n: number) => String(n).padStart(2, '0')
    for (let n = 0; n < 50000; n++) {
      const y = n % 10 === 0 ? Math.floor(next() * 10000) : 1950 + Math.floor(next() * 150)
      const mo = 1 + Math.floor(next() * 12)
      const d = 1 + Math.floor(next() * 31)
      const frac = next() < 0.3 ? '' : '.' + String(Math.floor(next() * 1e9)).padStart(9, '0').slice(0, 1 + Math.floor(next() * 9))
      const s = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(Math.floor(next() * 24))}:${two(Math.floor(next() * 60))}:${two(Math.floor(next() * 60))}${frac}Z`
      expect(Object.is(isoTimeMs(s), Date.parse(s)), s).toBe(true)
    }
    for (const s of ['', 'not a date', '2026-02-30T00:00:00Z', '2026-11-02T10:00:00+02:00', '2026-11-02', '2026-11-02T10:00:00.Z', '+002026-11-02T10:00:00Z']) expect(Object.is(isoTimeMs(s), Date.parse(s)), s).toBe(true)
  })
})
