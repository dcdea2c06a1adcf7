import { Box, Text } from 'ink';
import type { Labels } from '../i18n.js';
import { padToWidth } from '../text.js';

interface Props {
  labels: Labels;
  width: number;
  height: number;
}

export function Help({ labels, width, height }: Props) {
  const keyWidth = Math.max(...labels.help.keys.map(([key]) => key.length)) + 2;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1} overflow="hidden">
      <Text bold>{labels.help.title}</Text>
      {labels.help.keys.slice(0, Math.max(0, height - 4)).map(([key, what]) => (
        <Text key={key} wrap="truncate">
          <Text color="cyan">{padToWidth(key, keyWidth)}</Text>
          {what}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {labels.help.close}
      </Text>
    </Box>
  );
}
