// Rate limits: one token bucket per key (client address, API token). A bucket holds `burst`
// requests and refills at `perMinute`; an empty bucket answers 429 with Retry-After.
export class RateLimiter {
  private buckets = new Map<string, {tokens: number; at: number}>()

  constructor(
    readonly perMinute: number,
    readonly burst: number = Math.max(1, Math.ceil(perMinute / 4)),
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** 0 when the request may go ahead, else the seconds to wait. perMinute 0 turns the limit off. */
  take(key: string): number {
    if (this.perMinute <= 0) return 0
    const now = this.clock()
    const rate = this.perMinute / 60_000
    let b = this.buckets.get(key)
    if (!b) {
      if (this.buckets.size >= 50_000) this.prune(now)
      b = {tokens: this.burst, at: now}
      this.buckets.set(key, b)
    } else {
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate)
      b.at = now
    }
    if (b.tokens >= 1) {
      b.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000))
  }

  /** Drops buckets that are full again (they would start full anyway). */
  private prune(now: number): void {
    const rate = this.perMinute / 60_000
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= this.burst) this.buckets.delete(k)
    if (this.buckets.size >= 50_000) this.buckets.clear()
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${Math.round((n / (1 << 20)) * 10) / 10} MB`
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} KB`
  return `${n} bytes`
}
