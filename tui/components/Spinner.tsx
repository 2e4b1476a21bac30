// A small spinner for work that takes a moment (a sync, a commit).
import {Text} from 'ink'
import {useEffect, useState} from 'react'
import {useTheme} from '../theme.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export function Spinner({label}: {label: string}) {
  const theme = useTheme()
  const [i, setI] = useState(0)
  useEffect(() => {
    const t = setInterval(() => setI((n) => (n + 1) % FRAMES.length), 80)
    return () => clearInterval(t)
  }, [])
  return (
    <Text wrap="truncate-end">
      <Text color={theme.of('accent')}>{FRAMES[i]}</Text> {label}
    </Text>
  )
}
