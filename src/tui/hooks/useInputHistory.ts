import { useCallback, useMemo, useRef } from 'react';
import { browse, emptyHistory, remember, type History } from '../editor.js';

/** Up/Down through what was sent before; the unsent draft comes back after the newest entry. */
export function useInputHistory() {
  const history = useRef<History>(emptyHistory());
  const add = useCallback((line: string) => {
    history.current = remember(history.current, line);
  }, []);
  const step = useCallback((current: string, direction: 'older' | 'newer'): string => {
    const { history: next, text } = browse(history.current, current, direction);
    history.current = next;
    return text;
  }, []);
  return useMemo(() => ({ add, step }), [add, step]);
}
