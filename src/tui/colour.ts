import { createContext, useContext } from 'react';

/** Whether the screen may use colour (see coloursWanted in terminal.ts). */
export const ColourContext = createContext(true);

/** Whether the terminal shows OSC 8 hyperlinks (see linksWanted in terminal.ts). */
export const LinkContext = createContext(false);

/** Text that links to `url` where the terminal has hyperlinks; the text alone elsewhere. */
export function useLink(): (text: string, url: string | undefined) => string {
  const enabled = useContext(LinkContext);
  return (text, url) => (enabled && url ? `\x1b]8;;${url}\x07${text}\x1b]8;;\x07` : text);
}

/** A colour for Ink's `color` prop, or none when colour is off. */
export function useTint(): (colour: string | undefined) => string | undefined {
  const enabled = useContext(ColourContext);
  return enabled ? (colour) => colour : () => undefined;
}
