import { useEffect } from 'react';
import type { Note } from '../notes.js';
import type { Action } from '../store.js';

/** A line the pane gets when `note` settles: news of something that finished after the first frame. */
export function useLateNote(note: Promise<Note> | undefined, dispatch: (action: Action) => void): void {
  useEffect(() => {
    let mounted = true;
    void note?.then((settled) => {
      if (mounted) dispatch({ type: 'notice', note: settled, now: Date.now() });
    });
    return () => {
      mounted = false;
    };
  }, [note, dispatch]);
}
