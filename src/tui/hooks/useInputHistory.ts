import { useCallback, useMemo, useRef } from 'react';
import { browse, emptyHistory, remember, type History } from '../editor.js';
import { sameMode, type Mode } from '../store.js';

export interface InputHistory {
  add: (line: string, mode: Mode) => void;
  step: (current: { text: string; mode: Mode }, direction: 'older' | 'newer') => { text: string; mode: Mode };
}

/**
 * Up/Down through what was sent before, each line with the mode it was sent in; the unsent draft (and its
 * mode) comes back after the newest entry.
 */
export function useInputHistory(): InputHistory {
  const history = useRef<History<Mode>>(emptyHistory());
  const add = useCallback((line: string, mode: Mode) => {
    history.current = remember(history.current, line, mode, sameMode);
  }, []);
  const step = useCallback((current: { text: string; mode: Mode }, direction: 'older' | 'newer') => {
    const { history: next, text, mode } = browse(history.current, current, direction);
    history.current = next;
    return { text, mode };
  }, []);
  return useMemo(() => ({ add, step }), [add, step]);
}
