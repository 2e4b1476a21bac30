// The progress line: only on a terminal, throttled, cut to the width, control sequences of the text
// neutralised, erased at the end; and git's progress read into it.
import {describe, expect, it} from 'vitest'
import {progressLine} from '../../src/output/progress.js'
import {gitProgress} from '../../src/store/git.js'

function fakeStream(isTTY: boolean, columns = 40): {stream: NodeJS.WriteStream; written: string[]} {
  const written: string[] = []
  const stream = {isTTY, columns, write: (s: string) => written.push(s) > 0} as unknown as NodeJS.WriteStream
  return {stream, written}
}

describe('progressLine', () => {
  it('is undefined in a pipe or a file, and when TIX_NO_PROGRESS is set', () => {
    expect(progressLine(fakeStream(false).stream, {})).toBeUndefined()
    expect(progressLine(fakeStream(true).stream, {TIX_NO_PROGRESS: '1'})).toBeUndefined()
  })

  it('rewrites one line in place, at most every 100 ms, cut to the width, and erases it', () => {
    const {stream, written} = fakeStream(true, 30)
    let t = 1_000
    const p = progressLine(stream, {}, () => t)!
    p('Fetching the desk from origin…')
    p('dropped: within 100 ms of the last')
    t += 150
    p('Indexing \u001b[31m5,000\u001b[0m of 100,000 tickets')
    p(null)
    p(null) // nothing shown: nothing to erase
    // 29 columns (one is kept free); the ESC of the text is shown as \x1b, never sent
    expect(written).toEqual(['\rFetching the desk from origi…\u001b[K', '\rIndexing \\x1b[31m5,000\\x1b[0…\u001b[K', '\r\u001b[K'])
  })
})

describe('gitProgress', () => {
  it("reads git's progress lines and ignores everything else", () => {
    expect(gitProgress('Receiving objects:  45% (23000/51077), 1.20 MiB | 2.00 MiB/s')).toBe('receiving objects 45% (23,000 of 51,077)')
    expect(gitProgress('remote: Counting objects: 100% (150/150), done.')).toBe('counting objects 100% (150 of 150)')
    expect(gitProgress('Enumerating objects: 150, done.')).toBeNull()
    expect(gitProgress('fatal: could not read from remote repository')).toBeNull()
    expect(gitProgress('To ../remote.git')).toBeNull()
  })
})
