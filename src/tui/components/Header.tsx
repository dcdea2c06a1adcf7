import { Box, Text } from 'ink';
import { memo } from 'react';
import { useTint } from '../colour.js';
import type { Labels } from '../i18n.js';
import type { Connection } from '../store.js';
import { ellipsize, widthOf } from '../text.js';

interface Props {
  server: string;
  name: string | undefined;
  connection: Connection;
  labels: Labels;
  width: number;
}

export const Header = memo(function Header({ server, name, connection, labels, width }: Props) {
  const tint = useTint();
  const status = statusText(connection, labels);
  const room = Math.max(0, width - widthOf(status) - 2);
  // Narrow, the program's name goes first, then the server: who you are matters most.
  const you = name ? labels.youAre(name) : '';
  const candidates = [
    ` chat-tui · ${server}${you ? ` · ${you}` : ''}`,
    you ? ` ${server} · ${you}` : ` ${server}`,
    ` ${you || server}`,
  ];
  const title = candidates.find((candidate) => widthOf(candidate) <= room) ?? ellipsize(candidates.at(-1)!, room);
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text bold wrap="truncate">
        {title}
      </Text>
      <Text color={tint(connection.status === 'connected' ? 'green' : 'yellow')}>{status} </Text>
    </Box>
  );
});

function statusText(connection: Connection, labels: Labels): string {
  switch (connection.status) {
    case 'connecting':
      return labels.status.connecting;
    case 'connected':
      return labels.status.connected;
    case 'reconnecting':
      return labels.status.reconnecting(Math.ceil(connection.retryInMs / 1000));
    case 'kicked':
      return labels.status.kicked;
    case 'notChat':
      return labels.status.notChat;
  }
}
