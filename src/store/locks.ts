// Git's lock files (`<ref>.lock`) are held for milliseconds while a ref moves. One left behind by a
// process that was killed (kill -9, power loss) blocks every later write to that ref, and git never
// removes it by itself. A lock older than STALE_LOCK_MS cannot belong to a live ref update, so tix
// removes it (and says so) instead of failing forever.
import {rmSync, statSync} from 'node:fs'

export const STALE_LOCK_MS = 5_000

/** The lock file named in git's "Unable to create '...lock': File exists" message, if that is what failed. */
export function lockInMessage(stderr: string): string | null {
  const m = /Unable to create '([^']+\.lock)': File exists/.exec(stderr)
  return m ? m[1]! : null
}

/**
 * After a failure on `lockPath`: true when the lock was stale and is now gone (retry at once),
 * false when it is fresh (another process holds it: wait and retry) or already gone.
 */
export function clearStaleLock(lockPath: string, warn?: (line: string) => void, now = Date.now()): boolean {
  let age: number
  try {
    age = now - statSync(lockPath).mtimeMs
  } catch {
    return false // released meanwhile
  }
  if (age < STALE_LOCK_MS) return false
  try {
    rmSync(lockPath, {force: true})
  } catch {
    return false
  }
  warn?.(`tix: removed ${lockPath}, left behind by a git process that stopped ${Math.round(age / 1000)} s ago.`)
  return true
}
