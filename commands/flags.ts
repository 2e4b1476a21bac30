// Flag definitions shared by several commands, so `new`, `set` and `list` spell them the same way.
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {usageError} from '../src/errors.js'
import {CHANNELS, PRIORITIES, STATUSES, TYPES} from '../src/domain/ticket/model.js'
import {SORT_KEYS} from '../src/domain/queue/query.js'
import {commandContext, type CommandContext} from './context.js'

export const priorityFlag = () => Flags.option({char: 'p', options: PRIORITIES, summary: `Priority: ${PRIORITIES.join(', ')}.`})()
export const typeFlag = () => Flags.option({options: TYPES, summary: `Type: ${TYPES.join(', ')}.`})()
export const channelFlag = () => Flags.option({options: CHANNELS, summary: `Channel the request came through: ${CHANNELS.join(', ')}.`})()
export const statusOption = STATUSES
export const sortOption = SORT_KEYS

export const bodyFlags = {
  body: Flags.string({char: 'b', summary: 'Text of the message.', exclusive: ['body-file']}),
  'body-file': Flags.string({char: 'F', summary: 'Read the text from a file, or from standard input with "-".', helpValue: 'FILE'}),
}

/** The text from --body, --body-file FILE or --body-file - (stdin); undefined when neither was given. */
export function readBody(flags: {body?: string; 'body-file'?: string}, ctx: CommandContext = commandContext()): string | undefined {
  if (flags.body !== undefined) return flags.body
  const file = flags['body-file']
  if (file === undefined) return undefined
  try {
    return file === '-' ? ctx.stdinBytes().toString('utf8') : readFileSync(resolve(ctx.cwd, file), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw usageError(
      code === 'ENOENT' ? `--body-file ${file}: no such file.` : `--body-file ${file}: cannot read it (${code ?? (error as Error).message}).`,
      'Pass an existing file, or "-" to read standard input.',
    )
  }
}

/** Splits "a,b" and repeated flags into one list. */
export const list = (values: readonly string[] | string | undefined): string[] =>
  values === undefined ? [] : (Array.isArray(values) ? values : [values]).flatMap((v: string) => v.split(',')).map((v) => v.trim()).filter(Boolean)

/** `--field key=value` on new and set (list has its own filter of the same name). */
export const fieldFlag = () =>
  Flags.string({summary: 'Set a custom field: key=value (repeat). desk.json "fields" may declare its type and allowed values.', multiple: true, helpValue: 'KEY=VALUE'})
