import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { decodeKeys, type Key } from '../keys.js';

/**
 * Every keypress, decoded by our own table. Ink's `useInput` cannot tell F1 from other function keys,
 * and we want pasted text whole, line ends included, so we read the events Ink's input parser emits and
 * hand over the keys of each one together.
 */
export function useKeypress(handler: (keys: readonly Key[]) => void): void {
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const onInput = (sequence: string) => latest.current(decodeKeys(sequence));
    events.on('input', onInput);
    return () => {
      events.off('input', onInput);
    };
  }, [events]);
}
