import { createContext, useContext } from 'react';

/** Whether the screen may use colour (see coloursWanted in terminal.ts). */
export const ColourContext = createContext(true);

/** Whether the terminal shows OSC 8 hyperlinks (see linksWanted in terminal.ts). */
export const LinkContext = createContext(false);

/** How this screen draws styled text: in colour or not, with hyperlinks or not. */
export interface Drawing {
  readonly colour: boolean;
  readonly links: boolean;
}

export function useDrawing(): Drawing {
  return { colour: useContext(ColourContext), links: useContext(LinkContext) };
}

/** A colour for Ink's `color` prop, or none when colour is off. */
export function useTint(): (colour: string | undefined) => string | undefined {
  const enabled = useContext(ColourContext);
  return enabled ? (colour) => colour : () => undefined;
}
