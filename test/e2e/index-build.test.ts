// The index build after a clone (docs/scale.md): one pass over every ticket file writes the
// summaries, the search text and the report facts; the fold workers write the same files as the
// main thread; a report on a fresh clone builds the index instead of folding every file twice;
// the progress line shows on a terminal only.
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {writeSyntheticDesk} from '../../fixtures/generate.js'
import {FACTS_VERSION, readFactsFile, readFactsLines} from '../../src/store/report-facts.js'
import {BIN, cliEnv, git, tempDir, tix} from '../helpers.js'

const env = {TIX_NOW: '2026-11-30T12:00:00Z'}
const cacheDir = (dir: string) => join(dir, '.git', 'tix', 'cache', 'tix')
const factsFile = (dir: string) => join(cacheDir(dir), `report-facts.v${FACTS_VERSION}.bin`)
/** The facts as the index build writes them, before a report turns them into factsFile. */
const factsLines = (dir: string) => join(cacheDir(dir), `report-facts.v${FACTS_VERSION}.jsonl`)
/** The facts in either form. */
const readFacts = (dir: string) => readFactsFile(factsFile(dir)) ?? readFactsLines(factsLines(dir))!
const dropCache = (dir: string) => rmSync(join(dir, '.git', 'tix'), {recursive: true, force: true})
const sortedLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).sort()

/** The cache files as sets of lines (their order depends on how the work was split). */
function snapshot(dir: string) {
  const out: Record<string, string[]> = {}
  for (const f of ['open.jsonl', 'done.jsonl', 'text.tsv', 'ids.txt']) out[f] = sortedLines(join(cacheDir(dir), f))
  out.factsHeader = [JSON.stringify(factsHeader(dir))]
  out.facts = sortedFacts(dir)
  return out
}

/** The facts file's header without the layout (the strings' order follows the tickets'). */
function factsHeader(dir: string) {
  const {version, commit, deskHash, problems} = readFacts(dir).header
  return {version, commit, deskHash, problems}
}

/** Each ticket's facts as JSON, sorted. */
const sortedFacts = (dir: string) => [...readFacts(dir).table].map((f) => JSON.stringify(f)).sort()

let dir: string
let tip: string
beforeAll(async () => {
  dir = tempDir()
  await writeSyntheticDesk(dir, 400, {seed: 3})
  tip = git(dir, 'rev-parse', 'refs/heads/tix').trim()
}, 60_000)

describe('the index build after a clone', () => {
  it('writes the same summaries, search text and report facts with fold workers as without', () => {
    dropCache(dir)
    expect(tix(dir, ['list'], {env: {...env, TIX_FOLD_WORKERS: '0'}}).code).toBe(0)
    const inline = snapshot(dir)
    expect(inline['done.jsonl']!.length + inline['open.jsonl']!.length).toBe(400)
    expect(inline.facts!.length).toBe(400)
    expect(JSON.parse(inline.factsHeader![0]!)).toMatchObject({version: FACTS_VERSION, commit: tip})
    for (const workers of ['1', '2']) {
      dropCache(dir)
      expect(tix(dir, ['list'], {env: {...env, TIX_FOLD_WORKERS: workers}}).code).toBe(0)
      expect(snapshot(dir)).toEqual(inline)
    }
  })

  it('leaves facts a report uses as they are, equal to the facts a report builds on its own', () => {
    dropCache(dir)
    expect(tix(dir, ['list'], {env}).code).toBe(0)
    expect(existsSync(factsFile(dir))).toBe(false) // lines, turned into columns by the first report
    const facts = sortedFacts(dir)
    const report = tix(dir, ['report', '--by', 'department', '--json'], {env})
    expect(report.code).toBe(0)
    expect(existsSync(factsLines(dir))).toBe(false)
    expect(sortedFacts(dir)).toEqual(facts)
    const columns = readFileSync(factsFile(dir))
    expect(tix(dir, ['report', '--json'], {env}).code).toBe(0)
    expect(readFileSync(factsFile(dir)).equals(columns)).toBe(true) // used, not rebuilt
    // facts dropped, the ticket cache kept (as after a change to desk.json): the report folds for facts only
    rmSync(factsFile(dir))
    const again = tix(dir, ['report', '--by', 'department', '--json'], {env: {...env, TIX_FOLD_WORKERS: '2'}})
    expect(again.code).toBe(0)
    expect(again.json()).toEqual(report.json())
    expect(sortedFacts(dir)).toEqual(facts)
  })

  it('a report on a fresh clone builds the whole index in the same pass', () => {
    dropCache(dir)
    const report = tix(dir, ['report', '--json'], {env})
    expect(report.code).toBe(0)
    expect(JSON.parse(readFileSync(join(cacheDir(dir), 'meta.json'), 'utf8')).commit).toBe(tip)
    expect(factsHeader(dir).commit).toBe(tip)
    expect(readdirSync(cacheDir(dir)).filter((f) => f.endsWith('.tmp') || f.endsWith('.body'))).toEqual([])
  })
})

describe('the progress line', () => {
  let big: string
  beforeAll(async () => {
    big = tempDir()
    await writeSyntheticDesk(big, 5000, {seed: 4})
  }, 120_000)

  /** `tix args` with stderr on a pseudo-terminal (script(1)), stdout to a file. */
  const onTerminal = (args: string[]) => {
    const out = join(big, 'out.txt')
    const cmd = `${process.execPath} ${BIN} ${args.join(' ')} >${out}`
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {cwd: big, env: cliEnv(env), encoding: 'utf8'})
    return {code: r.status, terminal: r.stdout, stdout: readFileSync(out, 'utf8')}
  }

  it.skipIf(!existsSync('/usr/bin/script'))('counts the tickets on a terminal and erases itself; never in a pipe or with --json', () => {
    dropCache(big)
    const shown = onTerminal(['list'])
    expect(shown.code).toBe(0)
    expect(shown.terminal).toMatch(/\rIndexing (\d[\d,]* of )?5,000 tickets…\x1b\[K/)
    expect(shown.terminal.endsWith('\r\x1b[K')).toBe(true)
    expect(shown.stdout).not.toContain('Indexing')
    dropCache(big)
    const json = onTerminal(['list', '--json'])
    expect(json.code).toBe(0)
    expect(json.terminal).not.toContain('Indexing')
    dropCache(big)
    const piped = tix(big, ['list'], {env})
    expect(piped.code).toBe(0)
    expect(piped.stderr).toBe('')
  }, 120_000)
})
