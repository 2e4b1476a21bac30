import {readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {packOrder} from '../../src/store/pack-order.js'
import {git, gitRepo} from '../helpers.js'

describe('packOrder: the order to read blobs in', () => {
  it('sorts object ids by their offset in the pack, and puts loose or unknown ones last in their given order', () => {
    const dir = gitRepo()
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `f${i}.txt`), `file ${i}\n${'line of text\n'.repeat(i + 1)}`)
    git(dir, 'add', '.')
    git(dir, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'files')
    git(dir, 'repack', '-adq')
    // verify-pack -v: "<oid> <type> <size> <size in pack> <offset> ..."
    const packDir = join(dir, '.git', 'objects', 'pack')
    const idx = readdirSync(packDir).filter((f) => f.endsWith('.idx'))
    expect(idx).toHaveLength(1)
    const offsets = new Map<string, number>()
    for (const l of git(dir, 'verify-pack', '-v', join(packDir, idx[0]!)).split('\n')) {
      const m = /^([0-9a-f]{40,64}) blob +\d+ \d+ (\d+)/.exec(l)
      if (m) offsets.set(m[1]!, Number(m[2]))
    }
    const blobs = [...offsets.keys()].sort() // name order, as ls-tree gives them
    expect(blobs.length).toBe(30)
    // one more blob, loose (written after the repack), and one that exists nowhere
    const loose = git(dir, 'hash-object', '-w', '--stdin').trim()
    const nowhere = 'f'.repeat(blobs[0]!.length)
    const oids = [loose, ...blobs, nowhere]
    const order = packOrder(join(dir, '.git', 'objects'), oids).map((i) => oids[i]!)
    const byOffset = [...blobs].sort((a, b) => offsets.get(a)! - offsets.get(b)!)
    expect(byOffset).not.toEqual(blobs) // else the test shows nothing
    expect(order).toEqual([...byOffset, loose, nowhere])
  })

  it('leaves the order as given when there is no pack', () => {
    const dir = gitRepo()
    const a = git(dir, 'hash-object', '-w', '--stdin').trim()
    expect(packOrder(join(dir, '.git', 'objects'), [a, 'b'.repeat(40)])).toEqual([0, 1])
  })
})

