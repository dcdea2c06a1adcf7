import { Box, Text } from 'ink';
import { useTint } from '../colour.js';
import type { Labels } from '../i18n.js';
import { KEY_TABLE, keysOf } from '../key-table.js';
import { padToWidth, truncateToWidth, widthOf } from '../text.js';

interface Props {
  labels: Labels;
  width: number;
  height: number;
  /** Rows scrolled past, when the table is taller than the overlay (↑/↓ scroll it). */
  offset?: number;
}

/** The key table (key-table.ts, the same rows docs/CLIENT.md shows), as many rows as fit. */
export function Help({ labels, width, height, offset = 0 }: Props) {
  const tint = useTint();
  const entries = [...KEY_TABLE.keys, ...KEY_TABLE.commands].map((entry) => ({
    keys: keysOf(entry, labels.lang),
    what: entry.what[labels.lang],
  }));
  const keyWidth = Math.min(Math.floor(width * 0.4), Math.max(...entries.map(({ keys }) => widthOf(keys))) + 2);
  const room = Math.max(0, height - 3);
  const first = Math.max(0, Math.min(offset, entries.length - room));
  const more = entries.length > room ? `  ${first > 0 ? '↑' : ' '}${first + room < entries.length ? '↓' : ' '}` : '';
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">
        {labels.help.title}
        {more}
      </Text>
      {entries.slice(first, first + room).map(({ keys, what }) => (
        <Text key={keys} wrap="truncate">
          <Text color={tint('cyan')} bold>
            {padToWidth(truncateToWidth(keys, keyWidth - 1), keyWidth)}
          </Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
