import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Labels } from '../i18n.js';
import type { Mode } from '../store.js';

interface Props {
  mode: Mode;
  choosing: boolean;
  labels: Labels;
  width: number;
}

/** The modes and the keys that switch them, so nobody needs the manual. */
export const StatusBar = memo(function StatusBar({ mode, choosing, labels, width }: Props) {
  const privateLabel = mode.kind === 'private' ? labels.modes.private(mode.target.name) : labels.modes.privateChoose;
  const tabs: Array<[string, string, boolean]> = [
    ['F2', labels.modes.public, mode.kind === 'public' && !choosing],
    ['F3', privateLabel, mode.kind === 'private' || choosing],
    ['F4', labels.modes.rename, mode.kind === 'rename'],
  ];
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text wrap="truncate">
        {tabs.map(([key, label, active]) => (
          <Text key={key}>
            {' '}
            <Text inverse={active} bold={active} color={active ? undefined : 'gray'}>
              {`[${key} ${label}]`}
            </Text>
          </Text>
        ))}
      </Text>
      <Text dimColor wrap="truncate">
        {`${labels.hints.scroll} · ${labels.hints.help} `}
      </Text>
    </Box>
  );
});
