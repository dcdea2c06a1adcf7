import { Box, Text } from 'ink';
import { memo } from 'react';
import { useDrawing } from '../colour.js';
import type { Labels } from '../i18n.js';
import type { Row } from '../layout.js';
import { styledRow } from '../styled.js';

interface Props {
  rows: readonly Row[];
  /** Lines that arrived below the view while scrolled up; the marker shows only when scrolled. */
  unseen: number;
  /** Of those, the ones that mention us. */
  mentions?: number;
  scrolled: boolean;
  width: number;
  height: number;
  labels: Labels;
}

/**
 * The rows already windowed and wrapped to `width` (see layout.ts); this only draws them. Scrolled, the
 * window is one row shorter than the pane, and the marker takes that row.
 */
export const MessagePane = memo(function MessagePane({
  rows,
  unseen,
  mentions = 0,
  scrolled,
  width,
  height,
  labels,
}: Props) {
  const drawing = useDrawing();
  const shown = rows.slice(0, scrolled ? height - 1 : height);
  // Each row styled once for every screen that shows it, the rows one text: a frame costs Ink one node,
  // whose lines (already wrapped to fit, so never wrapped again) Ink measures and draws one by one.
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text>{shown.map((row) => styledRow(row, drawing)).join('\n')}</Text>
      {scrolled && (
        <Box flexGrow={1} alignItems="flex-end" justifyContent="flex-end">
          <Text inverse wrap="truncate">
            {` ${unseen > 0 ? labels.newMessages(unseen, mentions) : labels.scrolledBack} `}
          </Text>
        </Box>
      )}
    </Box>
  );
});
