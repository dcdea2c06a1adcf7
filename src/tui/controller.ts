import type { ChatClient } from './client.js';
import { intentOf } from './commands.js';
import {
  backspace,
  complete,
  deleteForward,
  deleteWordBack,
  editorOf,
  emptyEditor,
  insert,
  moveCursor,
  type Completion,
  type Editor,
} from './editor.js';
import type { Key } from './keys.js';
import type { Note } from './notes.js';
import type { InputHistory } from './hooks/useInputHistory.js';
import { sameMode, selfName, type Action, type ChatState, type Mode } from './store.js';

export type ClientActions = Pick<ChatClient, 'sendPublic' | 'sendPrivate' | 'rename' | 'who' | 'reconnectNow'>;

/** What the key handler may read and change. Getters, because keys can come faster than renders. */
export interface KeyContext {
  client: ClientActions;
  state: () => ChatState;
  dispatch: (action: Action) => void;
  editor: () => Editor;
  setEditor: (editor: Editor) => void;
  history: InputHistory;
  /** How many lines a PgUp/PgDn moves: what the pane shows now. */
  page: () => number;
  quit: () => void;
}

/**
 * Every key of the app, in one place (key-table.ts describes them for the help and the docs). Takes the
 * keys of one input event: a pasted block is several keys.
 */
export function createKeyHandler(context: KeyContext): (keys: readonly Key[]) => void {
  const { client, state, dispatch, editor, setEditor, history } = context;
  let completion: Completion | undefined;

  const notice = (note: Note) => dispatch({ type: 'notice', note, error: true, now: Date.now() });
  const sent = (ok: boolean) => {
    if (!ok) notice({ key: 'notConnected' });
  };

  // Names change without a word on the wire (a rename is told only to the renamer): ask `who` whenever
  // the user is about to pick someone or talk privately.
  const enterPrivate = () => {
    client.who();
    dispatch({ type: 'mode', mode: 'private' });
  };

  // A recalled line comes back in the mode it was sent in, shown in the prompt and the status bar: a
  // private line recalled while in public chat goes to the same person again, never to everyone.
  const restoreMode = (mode: Mode) => {
    if (sameMode(mode, state().mode)) return;
    if (mode.kind === 'private') dispatch({ type: 'privateWith', target: mode.target });
    else dispatch({ type: 'mode', mode: mode.kind });
  };

  const chooseUser = () => {
    client.who();
    dispatch({ type: 'focus', focus: 'users' });
  };

  const submit = (line: string) => {
    const { mode } = state();
    const intent = intentOf(line, mode);
    if (intent.kind !== 'none') history.add(line, mode);
    switch (intent.kind) {
      case 'public':
        return sent(client.sendPublic(intent.text));
      case 'private':
        return sent(client.sendPrivate(intent.to, intent.text));
      case 'rename':
        if (mode.kind === 'rename') dispatch({ type: 'mode', mode: 'public' });
        return sent(client.rename(intent.name));
      case 'who':
        dispatch({ type: 'whoEcho' });
        return sent(client.who());
      case 'help':
        return dispatch({ type: 'help', open: true });
      case 'quit':
        return context.quit();
      case 'reconnect':
        return client.reconnectNow();
      case 'bell':
        return dispatch({ type: 'bell', on: !state().bell });
      case 'me': {
        // The protocol has no actions: everyone sees `* alice waves`, and chat-tui draws it as one.
        const action = `* ${selfName(state()) ?? ''} ${intent.text}`;
        const current = state().mode;
        return sent(
          current.kind === 'private' ? client.sendPrivate(current.target.name, action) : client.sendPublic(action),
        );
      }
      case 'ignore':
        return dispatch({ type: 'ignore', name: intent.name, on: true });
      case 'unignore':
        return dispatch({ type: 'ignore', name: intent.name, on: false });
      case 'clear':
        return dispatch({ type: 'clear' });
      case 'toggle':
        return dispatch({ type: 'toggle', setting: intent.setting });
      case 'error':
        return notice(intent.note);
      case 'none':
        return;
    }
  };

  const onGlobalKey = (key: Key): boolean => {
    const page = Math.max(1, context.page());
    const act = (action: Action) => {
      dispatch(action);
      return true;
    };
    switch (key.name) {
      case 'ctrl':
        // Ctrl+D quits on an empty line, as in a shell.
        if (key.letter === 'c' || (key.letter === 'd' && editor().text === '')) {
          context.quit();
          return true;
        }
        if (key.letter === 'r') {
          client.reconnectNow();
          return true;
        }
        return false;
      case 'f1':
        return act({ type: 'help', open: !state().help });
      case 'f2':
        return act({ type: 'mode', mode: 'public' });
      case 'f3':
        enterPrivate();
        return true;
      case 'f4':
        return act({ type: 'mode', mode: 'rename' });
      case 'alt':
        if (key.char === '1') return act({ type: 'mode', mode: 'public' });
        if (key.char === '2') {
          enterPrivate();
          return true;
        }
        if (key.char === '3') return act({ type: 'mode', mode: 'rename' });
        if (key.char === 'h') return act({ type: 'help', open: !state().help });
        return false;
      case 'escape':
        if (state().help) return act({ type: 'help', open: false });
        if (state().focus === 'users') return act({ type: 'focus', focus: 'input' });
        return act({ type: 'mode', mode: 'public' });
      case 'pageUp':
        return act({ type: 'scroll', to: 'pageUp', page });
      case 'pageDown':
        return act({ type: 'scroll', to: 'pageDown', page });
      case 'home':
        return act({ type: 'scroll', to: 'top', page });
      case 'end':
        return act({ type: 'scroll', to: 'bottom', page });
      default:
        return false;
    }
  };

  // While the help is open, the arrows and pages scroll it; F1 and Esc close it; other keys do nothing.
  const onHelpKey = (key: Key) => {
    const deltas: Partial<Record<Key['name'], number>> = { up: -1, down: 1, pageUp: -10, pageDown: 10 };
    const delta = deltas[key.name];
    if (delta !== undefined) return dispatch({ type: 'helpScroll', delta });
    if (key.name === 'f1' || key.name === 'escape' || (key.name === 'alt' && key.char === 'h')) {
      return dispatch({ type: 'help', open: false });
    }
    if (key.name === 'ctrl' && key.letter === 'c') return context.quit();
  };

  const onUserListKey = (key: Key) => {
    switch (key.name) {
      case 'up':
        return dispatch({ type: 'select', delta: -1 });
      case 'down':
        return dispatch({ type: 'select', delta: 1 });
      case 'tab':
      case 'shiftTab':
        return dispatch({ type: 'focus', focus: 'input' });
      case 'return': {
        const { users, selected } = state();
        const user = users[selected];
        if (user) dispatch({ type: 'privateWith', target: { name: user.name, addr: user.addr } });
        return;
      }
      case 'text':
        // Typing goes to the input line, in the mode we are in.
        dispatch({ type: 'focus', focus: 'input' });
        return setEditor(insert(editor(), key.text));
    }
  };

  const onInputKey = (key: Key) => {
    const current = editor();
    switch (key.name) {
      case 'text':
        return setEditor(insert(current, key.text));
      case 'return':
        setEditor(emptyEditor);
        return submit(current.text);
      case 'backspace':
        return setEditor(backspace(current));
      case 'delete':
        return setEditor(deleteForward(current));
      case 'left':
        return setEditor(moveCursor(current, 'left'));
      case 'right':
        return setEditor(moveCursor(current, 'right'));
      case 'up':
      case 'down': {
        const recalled = history.step(
          { text: current.text, mode: state().mode },
          key.name === 'up' ? 'older' : 'newer',
        );
        restoreMode(recalled.mode);
        return setEditor(editorOf(recalled.text));
      }
      case 'tab': {
        if (current.text === '') return chooseUser();
        const result = complete(
          current,
          state().users.map((user) => user.name),
          completion,
        );
        completion = result.completion;
        return setEditor(result.editor);
      }
      case 'shiftTab':
        return chooseUser();
      case 'ctrl':
        if (key.letter === 'a') return setEditor(moveCursor(current, 'start'));
        if (key.letter === 'e') return setEditor(moveCursor(current, 'end'));
        if (key.letter === 'u') return setEditor(emptyEditor);
        if (key.letter === 'w') return setEditor(deleteWordBack(current));
        return;
    }
  };

  const onKey = (key: Key) => {
    if (key.name !== 'tab') completion = undefined;
    if (state().alerts > 0) dispatch({ type: 'seen' });
    if (state().help) return onHelpKey(key);
    if (onGlobalKey(key)) return;
    if (state().focus === 'users') onUserListKey(key);
    else onInputKey(key);
  };

  return (keys: readonly Key[]) => {
    const mode = modeName(state());
    for (const [index, single] of keys.entries()) {
      // A pasted block is meant for the mode it was pasted in. If one of its lines changed the mode (a
      // rename goes back to public), the rest is left in the input line, not sent somewhere unintended.
      if (modeName(state()) !== mode) {
        const rest = keys.slice(index).flatMap((left) => (left.name === 'text' ? [left.text] : []));
        setEditor(insert(editor(), rest.join(' ')));
        return;
      }
      onKey(single);
    }
  };
}

function modeName(state: ChatState): string {
  return state.mode.kind === 'private' ? `private:${state.mode.target.name}` : state.mode.kind;
}
