import {describe, expect, it} from 'vitest'
import {idsWithPrefix, isValidId, newId, normalizeIdInput, shortId} from '../../src/domain/ticket/ids.js'

describe('ticket ids', () => {
  it('makes 10 characters of Crockford base32 from random bytes', () => {
    const id = newId(new Uint8Array([0xff, 0x00, 0xab, 0x12, 0x34, 0x56, 0x78]))
    expect(id).toHaveLength(10)
    expect(isValidId(id)).toBe(true)
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
    expect(newId(new Uint8Array(7))).toBe('0000000000')
  })

  it('accepts prefixes case-insensitively and maps look-alike letters', () => {
    expect(normalizeIdInput('7k3f9')).toBe('7K3F9')
    expect(normalizeIdInput('o1il')).toBe('0111')
    expect(normalizeIdInput('../../etc')).toBeNull()
    expect(normalizeIdInput('7K3U')).toBeNull() // U is not in the alphabet
    expect(normalizeIdInput('')).toBeNull()
    expect(normalizeIdInput('12345678901')).toBeNull()
  })

  it('finds candidates and the shortest unique prefix (at least 5)', () => {
    const ids = ['7K3F9AAAAA', '7K3F9BBBBB', '7K3QA00000', '8M2QX00000'].sort()
    expect(idsWithPrefix(ids, '7K3')).toEqual(['7K3F9AAAAA', '7K3F9BBBBB', '7K3QA00000'])
    expect(idsWithPrefix(ids, '7K3Q')).toEqual(['7K3QA00000'])
    expect(shortId(ids, '8M2QX00000')).toBe('8M2QX')
    expect(shortId(ids, '7K3F9AAAAA')).toBe('7K3F9A')
    expect(shortId(ids, '7K3QA00000')).toBe('7K3QA')
  })
})
