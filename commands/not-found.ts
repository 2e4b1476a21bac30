// `tix lst` -> "Unknown command lst. Did you mean list?" (oclif's command_not_found hook).
import type {Hook} from '@oclif/core'
import {editDistance as distance} from '../src/domain/common/text-distance.js'
import {usageError} from '../src/errors.js'
import {envelope, jsonText} from '../src/output/json.js'
import {safeLine} from '../src/output/text.js'
import {commandContext} from './context.js'


export const commandNotFound: Hook<'command_not_found'> = async function (opts) {
  const typed = opts.id.replaceAll(':', ' ')
  const ids = opts.config.commandIDs.map((c) => c.replaceAll(':', ' '))
  const best = ids.map((c) => ({c, d: distance(typed, c)})).sort((x, y) => x.d - y.d)[0]
  const suggestion = best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? `Did you mean \`tix ${best.c}\`? ` : ''
  const err = usageError(`Unknown command "${typed}".`, `${suggestion}See \`tix --help\` for every command.`)
  const ctx = commandContext()
  // With --json a script still gets the error document every command prints (and exit 2).
  if ((opts.argv ?? []).includes('--json')) {
    ctx.stdout.write(jsonText(envelope('error', {error: {message: err.message, hint: err.hint ?? null, code: err.code, exitCode: err.exitCode}})) + '\n')
  }
  ctx.stderr.write(`Error: ${safeLine(err.message)}\nHint: ${safeLine(err.hint ?? '')}\n`)
  ctx.exitCode = err.exitCode
}
