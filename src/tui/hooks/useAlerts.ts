import { useEffect, useRef } from 'react';

/** What the terminal is told beyond the frame: a bell, a title. Zero-width, so Ink's drawing is not upset. */
export type Signal = (sequence: string) => void;

const BELL = '\x07';
const title = (text: string) => `\x1b]2;${text}\x07`;

/**
 * Rings the bell when a private message or a mention arrives (if the bell is on), and shows how many are
 * waiting in the terminal's title until the user presses a key. The title the user had comes back on exit
 * (terminal.ts saves and restores it).
 */
export function useAlerts(alerts: number, bell: boolean, signal: Signal): void {
  const shown = useRef(0);
  useEffect(() => {
    if (alerts === shown.current) return;
    const more = alerts > shown.current;
    shown.current = alerts;
    signal((more && bell ? BELL : '') + title(alerts > 0 ? `(${alerts}) chat-tui` : 'chat-tui'));
  }, [alerts, bell, signal]);
}
