import { Box, Text } from 'ink';
import { memo } from 'react';
import { useTint } from '../colour.js';
import type { Labels } from '../i18n.js';
import type { Mode } from '../store.js';
import { ellipsize, widthOf } from '../text.js';

interface Props {
  mode: Mode;
  choosing: boolean;
  labels: Labels;
  width: number;
}

interface Tab {
  key: string;
  label: string;
  active: boolean;
}

/**
 * The modes and the keys that switch them, so nobody needs the manual. When the row is narrow the hints
 * go first, then the labels of the modes you are not in; every mode key stays.
 */
export const StatusBar = memo(function StatusBar({ mode, choosing, labels, width }: Props) {
  const tint = useTint();
  const privateLabel = mode.kind === 'private' ? labels.modes.private(mode.target.name) : labels.modes.privateChoose;
  const tabs: Tab[] = [
    { key: 'F2', label: labels.modes.public, active: mode.kind === 'public' && !choosing },
    { key: 'F3', label: privateLabel, active: mode.kind === 'private' || choosing },
    { key: 'F4', label: labels.modes.rename, active: mode.kind === 'rename' },
  ];
  const hints = `${labels.hints.scroll} · ${labels.hints.help} `;
  const full = tabs.map((tab) => `[${tab.key} ${tab.label}]`);
  const fullWidth = full.reduce((sum, text) => sum + 1 + widthOf(text), 0);
  let shown: string[];
  let showHints = false;
  if (fullWidth + 1 + widthOf(hints) <= width) {
    shown = full;
    showHints = true;
  } else if (fullWidth <= width) {
    shown = full;
  } else {
    const short = tabs.map((tab) => `[${tab.key}]`);
    const others = short.reduce((sum, text, index) => sum + (tabs[index]!.active ? 0 : 1 + widthOf(text)), 0);
    // The active tab gets what is left, its label cut with an ellipsis if need be.
    const room = Math.max(4, width - others - 2);
    shown = tabs.map((tab, index) =>
      tab.active ? `[${ellipsize(`${tab.key} ${tab.label}`, room - 2)}]` : short[index]!,
    );
  }
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text wrap="truncate">
        {tabs.map((tab, index) => (
          <Text key={tab.key}>
            {' '}
            <Text inverse={tab.active} bold={tab.active} color={tab.active ? undefined : tint('gray')}>
              {shown[index]}
            </Text>
          </Text>
        ))}
      </Text>
      {showHints ? (
        <Text dimColor wrap="truncate">
          {hints}
        </Text>
      ) : null}
    </Box>
  );
});
