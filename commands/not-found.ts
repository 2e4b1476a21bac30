// `tix lst` -> "Unknown command lst. Did you mean list?" (oclif's command_not_found hook).
import type {Hook} from '@oclif/core'
import {usageError} from '../src/errors.js'

function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]!
}

export const commandNotFound: Hook<'command_not_found'> = async function (opts) {
  const typed = opts.id.replaceAll(':', ' ')
  const ids = opts.config.commandIDs.map((c) => c.replaceAll(':', ' '))
  const best = ids.map((c) => ({c, d: distance(typed, c)})).sort((x, y) => x.d - y.d)[0]
  const suggestion = best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? `Did you mean \`tix ${best.c}\`? ` : ''
  const err = usageError(`Unknown command "${typed}".`, `${suggestion}See \`tix --help\` for every command.`)
  process.stderr.write(`Error: ${err.message}\nHint: ${err.hint}\n`)
  process.exitCode = err.exitCode
}
