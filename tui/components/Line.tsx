// One terminal line made of styled pieces. Screens build lines as data (so they can be measured,
// cut to the width and scrolled) and this draws them; it never wraps.
import {Text} from 'ink'
import {memo} from 'react'
import {useTheme, type Tone} from '../theme.js'

export interface Seg {
  text: string
  tone?: Tone
  bold?: boolean
  dim?: boolean
  inverse?: boolean
  italic?: boolean
  underline?: boolean
}

export type LineSpec = Seg[]

export const seg = (text: string, style: Omit<Seg, 'text'> = {}): Seg => ({text, ...style})

export const Line = memo(function Line({segs, inverse}: {segs: LineSpec; inverse?: boolean}) {
  const theme = useTheme()
  // An empty Text takes no height in Ink: a blank line needs a space.
  if (segs.every((s) => s.text === '')) return <Text> </Text>
  return (
    <Text wrap="truncate-end" inverse={inverse}>
      {segs.map((s, i) => (
        <Text key={i} color={theme.of(s.tone)} bold={s.bold} dimColor={s.dim} inverse={s.inverse} italic={s.italic} underline={s.underline}>
          {s.text}
        </Text>
      ))}
    </Text>
  )
})
