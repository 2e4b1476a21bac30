// The repository carries its own docs: every relative markdown link, and every `docs/<name>.md`
// named in code or docs, points at a file that exists; and nothing cites documents that are not
// in the repository (the design notes that lived outside it).
import {readdirSync, readFileSync, existsSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {ROOT} from './helpers.js'

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage'])
const CODE = /\.(ts|tsx|mjs|cjs|js|md|json)$/
const SELF = relative(ROOT, import.meta.filename)

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), out)
    } else if (CODE.test(entry.name) && entry.name !== 'package-lock.json' && entry.name !== 'oclif.manifest.json') {
      out.push(join(dir, entry.name))
    }
  }
  return out
}

/** [text](target) outside code spans and fenced blocks; returns the targets with their line numbers. */
function markdownLinks(text: string): Array<{target: string; line: number}> {
  const out: Array<{target: string; line: number}> = []
  let fenced = false
  text.split('\n').forEach((row, i) => {
    if (/^\s*(```|~~~)/.test(row)) {
      fenced = !fenced
      return
    }
    if (fenced) return
    const plain = row.replace(/`[^`]*`/g, '')
    for (const m of plain.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({target: m[1]!, line: i + 1})
  })
  return out
}

const isRelative = (target: string) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target)

// Built from pieces so that this file does not trip its own check.
const FORBIDDEN = [['..', 'shared'].join('/'), ['DESIGN', 'md'].join('.'), ['HELPDESK', 'md'].join('.')]

const files = walk(ROOT)

describe('docs', () => {
  it('has the four documents', () => {
    for (const name of ['architecture', 'storage', 'helpdesk', 'reports']) expect(existsSync(join(ROOT, 'docs', `${name}.md`)), name).toBe(true)
  })

  it('finds a broken link when there is one (the checker can fail)', () => {
    const links = markdownLinks('See [a](docs/nosuch.md), [b](https://x.example/y.md), [c](#top) and `[d](skip.md)`.\n```\n[e](fenced.md)\n```\n')
    expect(links.map((l) => l.target)).toEqual(['docs/nosuch.md', 'https://x.example/y.md', '#top'])
    expect(links.filter((l) => isRelative(l.target)).map((l) => l.target)).toEqual(['docs/nosuch.md'])
  })

  it('every relative markdown link points at a file that exists', () => {
    const broken: string[] = []
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      for (const {target, line} of markdownLinks(readFileSync(file, 'utf8'))) {
        if (!isRelative(target)) continue
        const path = decodeURIComponent(target.replace(/#.*$/, ''))
        if (path === '') continue
        if (!existsSync(resolve(dirname(file), path))) broken.push(`${relative(ROOT, file)}:${line}: ${target}`)
      }
    }
    expect(broken).toEqual([])
  })

  it('every docs/<name>.md named in code or docs exists', () => {
    const missing: string[] = []
    for (const file of files) {
      const rel = relative(ROOT, file)
      if (rel === SELF) continue
      readFileSync(file, 'utf8').split('\n').forEach((row, i) => {
        for (const m of row.matchAll(/(?<![\w./-])docs\/[\w./-]+?\.md\b/g)) if (!existsSync(join(ROOT, m[0]))) missing.push(`${rel}:${i + 1}: ${m[0]}`)
      })
    }
    expect(missing).toEqual([])
  })

  it('cites no document outside the repository', () => {
    const found: string[] = []
    for (const file of files) {
      const rel = relative(ROOT, file)
      if (rel === SELF) continue
      readFileSync(file, 'utf8').split('\n').forEach((row, i) => {
        for (const word of FORBIDDEN) if (row.includes(word)) found.push(`${rel}:${i + 1}: ${word}`)
      })
    }
    expect(found).toEqual([])
  })
})
