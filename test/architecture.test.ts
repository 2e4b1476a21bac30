// The layer rule of docs/architecture.md, checked on the sources: the Desk is the one door to the
// stored desk, and the domain is pure.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'

const ROOT = join(__dirname, '..')

function sources(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name)
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...sources(rel))
    else if (/\.tsx?$/.test(name)) out.push(rel)
  }
  return out
}

/** The modules a file imports for their values (`import type` and `import {type X}` only are left out). */
function valueImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const out: string[] = []
  for (const m of text.matchAll(/^import\s+(?!type\s)([^';]*?)\s+from\s+'([^']+)'/gm)) {
    const names = m[1]!
    const onlyTypes = /^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'))
    if (!onlyTypes) out.push(m[2]!)
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) out.push(m[1]!) // for its side effects
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push(m[1]!)
  return out
}

/** Each value import of the files under `dirs` that resolves into one of `forbidden` (paths from the root). */
function breaches(dirs: string[], forbidden: RegExp): string[] {
  const found: string[] = []
  for (const dir of dirs) {
    for (const file of sources(dir)) {
      for (const spec of valueImports(file)) {
        if (!spec.startsWith('.')) continue
        const target = relative(ROOT, join(ROOT, file, '..', spec)).replace(/\\/g, '/')
        if (forbidden.test(target)) found.push(`${file} imports ${spec}`)
      }
    }
  }
  return found
}

describe('the layer rule', () => {
  it('services, commands, the TUI and output reach the stored desk only through the Desk (no git plumbing, objects or cache)', () => {
    expect(breaches(['src/services', 'commands', 'tui', 'src/output'], /^src\/store\/(objects|git|cache|locks|history|desk\/)/)).toEqual([])
  })

  it('the domain is pure: it imports no store, service, output, command or TUI code', () => {
    expect(breaches(['src/domain'], /^(src\/(store|services|output)|commands|tui)\//)).toEqual([])
  })

  it('output formats; it does not read the desk or call services', () => {
    expect(breaches(['src/output'], /^src\/(store|services)\//)).toEqual([])
  })

  it('the rule finds a breach when there is one (the checker itself works)', () => {
    // src/store/desk/writing.ts reaches objects.ts: the same check on the store must see it
    expect(breaches(['src/store/desk'], /^src\/store\/objects/).length).toBeGreaterThan(0)
  })
})

describe('one short id', () => {
  it('nothing but domain/ticket/ids.ts cuts an id to 5 characters by hand (shortId, or shortIdPrefix without the id list)', () => {
    const cuts: string[] = []
    for (const dir of ['src', 'commands', 'tui']) {
      for (const file of sources(dir)) {
        if (file.replace(/\\/g, '/') === 'src/domain/ticket/ids.ts') continue
        const text = readFileSync(join(ROOT, file), 'utf8')
        for (const m of text.matchAll(/\.(?:slice|substring|substr)\(0, ?(?:5|SHORT_ID_LENGTH)\)/g)) cuts.push(`${file}: ${m[0]}`)
      }
    }
    expect(cuts).toEqual([])
  })
})

describe('the domain is grouped by concept', () => {
  it('src/domain holds folders only (ticket, workflow, sla, reports, ...): a new file goes into its concept', () => {
    const loose = readdirSync(join(ROOT, 'src/domain')).filter((name) => !statSync(join(ROOT, 'src/domain', name)).isDirectory())
    expect(loose).toEqual([])
  })
})
