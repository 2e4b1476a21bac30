// Colour only on a terminal, never with NO_COLOR; FORCE_COLOR wins (chalk reads it).
import chalk, {Chalk, type ChalkInstance} from 'chalk'

export function palette(stream: {isTTY?: boolean} = process.stdout, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '' && !env.FORCE_COLOR) return new Chalk({level: 0})
  if (env.FORCE_COLOR !== undefined) return chalk
  return new Chalk({level: stream.isTTY ? chalk.level || 1 : 0})
}

export const terminalWidth = (stream: {isTTY?: boolean; columns?: number} = process.stdout, env: NodeJS.ProcessEnv = process.env) =>
  stream.isTTY && stream.columns ? stream.columns : Number(env.COLUMNS) || 100
