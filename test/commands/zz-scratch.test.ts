import {describe, expect, it} from 'vitest'
import {gitRepo, tix, tixIn} from '../helpers.js'

describe('scratch', () => {
  it('compares', async () => {
    const d1 = gitRepo(), d2 = gitRepo()
    for (const args of [['list'], ['init'], ['new', 'Printer on fire', '-p', 'high'], ['list'], ['list', '--json'], ['show', 'nope'], ['show', 'nope', '--json'], ['lst'], ['lst', '--json'], ['--help'], ['kb'], ['report', 'nonsense'], ['list', '--bogus'], ['--version'], [], ['help', 'list'], ['list', '-h'], ['completion', 'bash'], ['report', '--json'], ['doctor']]) {
      const env = {TIX_NOW: '2026-01-01T10:00:00Z'}
      const a = tix(d1, args, {env})
      const b = await tixIn(d2, args, {env})
      const norm = (s: string) => s.replace(/\b[0-9A-Z]{5}([0-9A-Z]{5})?\b/g, 'X').replace(/[0-9a-f]{7,40}/g, 'H').replaceAll(d1, 'D').replaceAll(d2, 'D')
      expect({args, code: b.code, stdout: norm(b.stdout), stderr: norm(b.stderr)}).toEqual({args, code: a.code, stdout: norm(a.stdout), stderr: norm(a.stderr)})
    }
  })
})
