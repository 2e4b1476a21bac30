// The English and Russian stemmers the built CLI loads (dist/stemmer-<name>.cjs, cut out of
// snowball-stemmers by scripts/stemmers.mjs at build time) stem as the package does, word for word.
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {expect, test} from 'vitest'
import {words} from '../../src/domain/kb/normalize.js'
import {KB_FIXTURE} from '../fixtures/kb-articles.js'
import {ROOT} from '../helpers.js'

const require = createRequire(import.meta.url)
const dist = join(ROOT, 'dist')
type Stemmer = {stem(word: string): string}
const pkg = require('snowball-stemmers') as {newStemmer(name: string): Stemmer}

test.each([
  ['english', 'en', /^[a-z]/],
  ['russian', 'ru', /^[а-я]/],
] as const)('%s: the cut stemmer stems every word of the articles as the package', (name, lang, script) => {
  const cut = (require(join(dist, `stemmer-${name}.cjs`)) as {newStemmer(): Stemmer}).newStemmer()
  const whole = pkg.newStemmer(name)
  const list = [...new Set(KB_FIXTURE.filter((a) => a.lang === lang).flatMap((a) => words(`${a.title} ${a.body}`)).filter((w) => script.test(w)))]
  expect(list.length).toBeGreaterThan(100)
  for (const w of list) expect(cut.stem(w), w).toBe(whole.stem(w))
})
