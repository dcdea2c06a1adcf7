import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Labels } from '../i18n.js';
import type { Connection } from '../store.js';
import { truncateToWidth, widthOf } from '../text.js';

interface Props {
  server: string;
  name: string | undefined;
  connection: Connection;
  labels: Labels;
  width: number;
}

export const Header = memo(function Header({ server, name, connection, labels, width }: Props) {
  const status = statusText(connection, labels);
  const title = truncateToWidth(
    ` chat-tui · ${server}${name ? ` · ${labels.youAre(name)}` : ''}`,
    Math.max(0, width - widthOf(status) - 2),
  );
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text bold wrap="truncate">
        {title}
      </Text>
      <Text color={connection.status === 'connected' ? 'green' : 'yellow'}>{status} </Text>
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
  }
}
