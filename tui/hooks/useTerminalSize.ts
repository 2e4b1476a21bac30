// The terminal's size, following resizes. Tests and benchmarks may fix it.
import {useStdout} from 'ink'
import {useEffect, useState} from 'react'

export interface Size {
  columns: number
  rows: number
}

export const MIN_SIZE: Size = {columns: 40, rows: 10}

export function useTerminalSize(fixed?: Partial<Size>, onResize?: () => void): Size {
  const {stdout} = useStdout()
  const read = (): Size => ({
    columns: fixed?.columns ?? (stdout.columns || 80),
    rows: fixed?.rows ?? (stdout.rows || 24),
  })
  const [size, setSize] = useState(read)
  useEffect(() => {
    const changed = () => {
      onResize?.()
      setSize(read())
    }
    stdout.on('resize', changed)
    return () => {
      stdout.off('resize', changed)
    }
  }, [stdout, fixed?.columns, fixed?.rows])
  return size
}
