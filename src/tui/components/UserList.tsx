import chalk from 'chalk';
import cliTruncate from 'cli-truncate';
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useDrawing } from '../colour.js';
import type { Labels } from '../i18n.js';
import { colourOf } from '../layout.js';
import type { User } from '../store.js';
import { styledText } from '../styled.js';
import { displayable, ellipsize, padToWidth, widthOf } from '../text.js';

interface Props {
  users: readonly User[];
  selfAddr: string | undefined;
  /** The addr of the private chat partner, underlined. */
  target?: string;
  unread: ReadonlyMap<string, number>;
  /** When each addr last spoke in public, and the time to measure from: shown as `5m`, `2h`. */
  lastSpoke?: ReadonlyMap<string, number>;
  now?: number;
  selected: number;
  focused: boolean;
  width: number;
  height: number;
  labels: Labels;
}

/** Online users in join order, with ours marked and unread private counts; a window around the selection. */
export const UserList = memo(function UserList(props: Props) {
  const { users, selfAddr, target, unread, selected, focused, width, height, labels } = props;
  const now = props.now ?? Date.now();
  drawnAt.set(props, now);
  const drawing = useDrawing();
  const inner = Math.max(1, width - 2);
  const { first, visible } = shownRange(props);
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="single"
      borderTop={false}
      borderBottom={false}
      borderRight={false}
      borderDimColor
      paddingLeft={1}
    >
      <Text bold wrap="truncate">
        {labels.online(users.length)}
      </Text>
      {/* All the rows are one text, one node for Ink, each cut to the width as Ink would cut a row of its own. */}
      <Text>
        {users
          .slice(first, first + visible)
          .map((user, index) => {
            const isSelected = focused && first + index === selected;
            const count = unread.get(user.addr) ?? 0;
            const badge = count > 0 ? ` ${count}` : '';
            const own = user.addr === selfAddr ? ` (${labels.you})` : '';
            const quiet = quietText(props, user, now);
            const nameWidth = Math.max(1, inner - 2 - badge.length - quiet.length);
            // Your own marker never gives way: the name does, with an ellipsis.
            const name = ellipsize(displayable(user.name), Math.max(1, nameWidth - widthOf(own)));
            const rest = padToWidth(own, nameWidth - widthOf(name));
            const row =
              (isSelected ? '› ' : '  ') +
              styledText(
                name,
                { color: colourOf(user.name), bold: own !== '', underline: user.addr === target },
                drawing,
              ) +
              styledText(rest, { bold: own !== '' }, drawing) +
              styledText(quiet, { dim: true }, drawing) +
              styledText(badge, { color: 'magenta', bold: true }, drawing);
            const fitted = widthOf(row) > inner ? cliTruncate(row, inner) : row;
            return isSelected ? chalk.inverse(fitted) : fitted;
          })
          .join('\n')}
      </Text>
    </Box>
  );
}, sameList);

/** When each props' list was drawn: what its times beside the names were measured from. */
const drawnAt = new WeakMap<Props, number>();

function shownRange({ users, selected, height }: Props): { first: number; visible: number } {
  const visible = Math.max(0, height - 1);
  return { first: Math.max(0, Math.min(selected - visible + 1, users.length - visible)), visible };
}

/** ` 5m` beside a user who spoke five minutes ago; nothing beside ourselves or the silent. */
function quietText(props: Props, user: User, now: number): string {
  const spoke = spokeAt(props, user);
  return spoke === undefined ? '' : ` ${sinceText(now - spoke, props.labels.justNow)}`;
}

/** When `user` last spoke, as the list shows it: never for ourselves. */
function spokeAt({ selfAddr, lastSpoke }: Props, user: User): number | undefined {
  return user.addr === selfAddr ? undefined : lastSpoke?.get(user.addr);
}

/**
 * Whether the list would be drawn as it is. Every line said changes who spoke last, but the list shows it
 * in minutes, for the users in view: a busy room does not redraw it line by line.
 */
export function sameList(before: Props, after: Props): boolean {
  for (const key of Object.keys(after) as Array<keyof Props>) {
    if (key !== 'lastSpoke' && key !== 'now' && before[key] !== after[key]) return false;
  }
  if (before.lastSpoke === after.lastSpoke && before.now === after.now) return true;
  const then = drawnAt.get(before) ?? before.now ?? 0;
  const now = after.now ?? Date.now();
  const { first, visible } = shownRange(after);
  const last = Math.min(after.users.length, first + visible);
  for (let at = first; at < last; at++) {
    const user = after.users[at]!;
    const spokeBefore = spokeAt(before, user);
    const spokeNow = spokeAt(after, user);
    if (spokeBefore === undefined && spokeNow === undefined) continue;
    if (spokeBefore === undefined || spokeNow === undefined) return false;
    if (sinceText(then - spokeBefore) !== sinceText(now - spokeNow)) return false;
  }
  return true;
}

/** How long ago, in the fewest characters: `now`, `5m`, `3h`, `2d`. */
export function sinceText(ms: number, justNow = 'now'): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return justNow;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}
