// Colour only on a terminal, never with NO_COLOR; FORCE_COLOR wins (chalk reads it).
import chalk, {Chalk, type ChalkInstance} from 'chalk'

export function palette(stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  const env = process.env
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !env.FORCE_COLOR) return new Chalk({level: 0})
  if (env.FORCE_COLOR !== undefined) return chalk
  return new Chalk({level: stream.isTTY ? chalk.level || 1 : 0})
}

export const terminalWidth = (stream: NodeJS.WriteStream = process.stdout) =>
  stream.isTTY && stream.columns ? stream.columns : Number(process.env.COLUMNS) || 100
