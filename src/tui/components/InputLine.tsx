import { Box, Text } from 'ink';
import { memo } from 'react';
import { useTint } from '../colour.js';
import type { Editor } from '../editor.js';
import { splitGraphemes, widthOf } from '../text.js';

interface Props {
  editor: Editor;
  prompt: string;
  focused: boolean;
  width: number;
  placeholder?: string;
}

/** The input line with its cursor, scrolled sideways so the cursor always shows. */
export const InputLine = memo(function InputLine({ editor, prompt, focused, width, placeholder }: Props) {
  const tint = useTint();
  const room = Math.max(1, width - widthOf(prompt) - 1);
  const chars = splitGraphemes(editor.text).map((char) => (char === '\t' ? ' ' : char));
  let start = 0;
  let used = 0;
  for (let index = editor.cursor - 1; index >= 0; index--) {
    used += widthOf(chars[index]!);
    if (used > room - 1) {
      start = index + 1;
      break;
    }
  }
  const before = chars.slice(start, editor.cursor).join('');
  const atCursor = chars[editor.cursor] ?? ' ';
  const after = chars.slice(editor.cursor + 1).join('');
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text color={tint('cyan')} bold>
          {prompt}
        </Text>
        {editor.text === '' && placeholder && !focused ? <Text dimColor>{placeholder}</Text> : null}
        {before}
        {focused ? <Text inverse>{atCursor}</Text> : atCursor}
        {after}
        {editor.text === '' && placeholder && focused ? <Text dimColor>{placeholder}</Text> : null}
      </Text>
    </Box>
  );
});
