import chalk from 'chalk';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/tui/layout.js';
import { styledRow } from '../../src/tui/styled.js';

const level = chalk.level;
beforeAll(() => {
  chalk.level = 3;
});
afterAll(() => {
  chalk.level = level;
});

const row: Row = [
  { text: '12:01 ', dim: true },
  { text: 'bob', color: 'cyanBright', bold: true },
  { text: ': see ' },
  { text: 'https://example.com', link: 'https://example.com', underline: true },
  { text: ' alice', bold: true, inverse: true },
  { text: ' pending', color: 'magenta', dim: true },
];

/** The row as Ink draws it from one `<Text>` per piece, the way the props say. */
function drawnByInk(colour: boolean, links: boolean): string | undefined {
  return render(
    <Text>
      {row.map(({ text, link, ...style }, index) => (
        <Text
          key={index}
          color={colour ? style.color : undefined}
          bold={style.bold}
          dimColor={style.dim}
          inverse={style.inverse}
          underline={style.underline}
        >
          {links && link ? `\x1b]8;;${link}\x07${text}\x1b]8;;\x07` : text}
        </Text>
      ))}
    </Text>,
  ).lastFrame();
}

describe('styledRow', () => {
  for (const colour of [true, false])
    for (const links of [true, false])
      it(`draws a row exactly as Ink's own Text props do (colour ${colour}, links ${links})`, () => {
        const ours = render(<Text>{styledRow(row, { colour, links })}</Text>).lastFrame();
        expect(ours).toBe(drawnByInk(colour, links));
        expect(ours!.includes('\x1b[96m')).toBe(colour);
        expect(ours!.includes('\x1b]8;;')).toBe(links);
      });
});
