import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatClient, ClientEvent } from '../client.js';

/** What the screen needs of the client to follow the room. */
export type RoomClient = Pick<ChatClient, 'subscribe' | 'refreshWho'>;
import { reduce, type Action, type ChatState } from '../store.js';

/** Incoming lines are applied once per frame, however many arrive: a flood costs one render per frame. */
export const FRAME_MS = 33;

export interface ChatStore {
  /** The state of the last render. */
  state: ChatState;
  dispatch: (action: Action) => void;
  /**
   * The state after every action so far: key handlers read this, so keys typed faster than frames see each
   * other's effect.
   */
  current: () => ChatState;
}

/** `gatherMs`: how long the client's events gather before they are applied, in one render. */
export function useChatClient(client: RoomClient, initial: ChatState, gatherMs = FRAME_MS): ChatStore {
  const latest = useRef(initial);
  const [state, setState] = useState(initial);
  const dispatch = useCallback((action: Action) => {
    latest.current = reduce(latest.current, action);
    setState(latest.current);
  }, []);
  const current = useCallback(() => latest.current, []);
  useEffect(() => {
    let pending: ClientEvent[] = [];
    let timer: NodeJS.Timeout | undefined;
    let gathering = false;
    let live = true;
    const flush = () => {
      timer = undefined;
      gathering = false;
      if (!live) return;
      const events = pending;
      pending = [];
      dispatch({ type: 'client', events, now: Date.now() });
      // The picture of the room went stale: ask again (the client paces how often).
      if (latest.current.whoWanted) client.refreshWho();
    };
    const unsubscribe = client.subscribe((event) => {
      pending.push(event);
      if (gathering) return;
      gathering = true;
      // Lines that come already gathered are applied once the chunk they came in has been read, not a timer later.
      if (gatherMs === 0) queueMicrotask(flush);
      else timer = setTimeout(flush, gatherMs);
    });
    return () => {
      live = false;
      unsubscribe();
      clearTimeout(timer);
    };
  }, [client, dispatch, gatherMs]);
  return { state, dispatch, current };
}
