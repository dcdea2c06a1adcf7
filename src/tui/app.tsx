import { Box, Text, useApp } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { ChatClient } from './client.js';
import { emptyEditor, type Editor } from './editor.js';
import { createKeyHandler } from './controller.js';
import { ColourContext, LinkContext } from './colour.js';
import type { Labels } from './i18n.js';
import type { Note } from './notes.js';
import { windowRows, type LineStyle } from './layout.js';
import { selfName, type ChatState } from './store.js';
import { Header } from './components/Header.js';
import { Help } from './components/Help.js';
import { InputLine } from './components/InputLine.js';
import { MessagePane } from './components/MessagePane.js';
import { StatusBar } from './components/StatusBar.js';
import { UserList } from './components/UserList.js';
import { useChatClient } from './hooks/useChatClient.js';
import { useAlerts, type Signal } from './hooks/useAlerts.js';
import { useInputHistory } from './hooks/useInputHistory.js';
import { useTranscript, type TranscriptSink } from './hooks/useTranscript.js';
import { useKeypress } from './hooks/useKeypress.js';
import { useLateNote } from './hooks/useLateNote.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';

/** Below this width the sidebar folds away and the messages take the whole width. */
export const SIDEBAR_MIN_COLUMNS = 60;
const SIDEBAR_WIDTH = 22;

interface Props {
  client: ChatClient;
  initial: ChatState;
  labels: Labels;
  /** False under NO_COLOR: no colours, emphasis kept. */
  colour?: boolean;
  /** The terminal shows OSC 8 hyperlinks: addresses in messages are drawn as links. */
  links?: boolean;
  /** Where the bell and the title go: the terminal, beside Ink's frames. */
  signal?: Signal;
  /** `--log`: where every line of the pane is appended as plain text. */
  transcript?: TranscriptSink;
  /** A line for the pane that comes after the first frame: how the SSH door of --serve opened, or why not. */
  lateNote?: Promise<Note>;
  /**
   * How long the room's lines gather before the screen draws them, in ms: a frame's worth by default;
   * none for a client whose lines come already gathered (an SSH screen's).
   */
  gatherMs?: number;
}

const silent: Signal = () => {};
// One object per setting, so that the row cache sees the same style while nothing changes.
const PLAIN_STYLE: LineStyle = { seconds: false };
const WITH_SECONDS: LineStyle = { seconds: true };

export function App({
  client,
  initial,
  labels,
  colour = true,
  links = false,
  signal = silent,
  transcript,
  lateNote,
  gatherMs,
}: Props) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const { state, dispatch, current } = useChatClient(client, initial, gatherMs);
  const [editor, setEditor] = useState<Editor>(emptyEditor);
  const editorRef = useRef(editor);
  const history = useInputHistory();

  // Ink redraws the whole screen (and flickers) when a frame is as tall as the terminal: stay one row short.
  const height = Math.max(5, rows - 1);
  const sidebar = columns >= SIDEBAR_MIN_COLUMNS;
  const paneWidth = sidebar ? columns - SIDEBAR_WIDTH : columns;
  const bodyHeight = height - 4;
  const scrolled = state.scroll.offset > 0;
  const window = useMemo(
    () =>
      windowRows(
        state.lines,
        state.scroll.offset,
        paneWidth - 1,
        scrolled ? bodyHeight - 1 : bodyHeight,
        labels,
        state.seconds ? WITH_SECONDS : PLAIN_STYLE,
      ),
    [state.lines, state.scroll.offset, paneWidth, bodyHeight, scrolled, labels, state.seconds],
  );
  const pageRef = useRef(1);
  pageRef.current = window.lineCount - 1;

  const handleKey = useMemo(
    () =>
      createKeyHandler({
        client,
        state: current,
        dispatch,
        editor: () => editorRef.current,
        setEditor: (next) => {
          editorRef.current = next;
          setEditor(next);
        },
        history,
        page: () => pageRef.current,
        quit: exit,
      }),
    [client, current, dispatch, history, exit],
  );
  useKeypress(handleKey);
  useAlerts(state.alerts, state.bell, signal);
  useTranscript(state.lines, state.appended, labels, transcript);
  useLateNote(lateNote, dispatch);

  const prompt =
    state.mode.kind === 'private'
      ? `${labels.privatePrompt} ${state.mode.target.name} › `
      : state.mode.kind === 'rename'
        ? `${labels.renamePrompt} › `
        : '› ';
  const choosing = state.focus === 'users';
  return (
    <ColourContext.Provider value={colour}>
      <LinkContext.Provider value={links}>
        <Box flexDirection="column" width={columns} height={height}>
          <Header
            server={state.server}
            name={selfName(state)}
            connection={state.connection}
            labels={labels}
            width={columns}
          />
          {state.help ? (
            <Help labels={labels} width={columns} height={bodyHeight + 1} offset={state.helpOffset} />
          ) : (
            <>
              <Box height={bodyHeight}>
                {/* Narrow, the list has no room beside the messages: while choosing it takes their place. */}
                {sidebar || !choosing ? (
                  <MessagePane
                    rows={window.rows}
                    unseen={state.scroll.unseen}
                    mentions={state.scroll.mentions}
                    scrolled={scrolled}
                    width={paneWidth}
                    height={bodyHeight}
                    labels={labels}
                  />
                ) : null}
                {sidebar || choosing ? (
                  <UserList
                    users={state.users}
                    selfAddr={state.selfAddr}
                    target={state.mode.kind === 'private' ? state.mode.target.addr : undefined}
                    unread={state.unread}
                    lastSpoke={state.lastSpoke}
                    selected={state.selected}
                    focused={choosing}
                    width={sidebar ? SIDEBAR_WIDTH : columns}
                    height={bodyHeight}
                    labels={labels}
                  />
                ) : null}
              </Box>
              <Text dimColor wrap="truncate">
                {sidebar ? `${'─'.repeat(paneWidth)}┴${'─'.repeat(SIDEBAR_WIDTH - 1)}` : '─'.repeat(columns)}
              </Text>
            </>
          )}
          <StatusBar mode={state.mode} choosing={choosing} labels={labels} width={columns} />
          <InputLine
            editor={editor}
            prompt={prompt}
            focused={!choosing}
            width={columns}
            placeholder={choosing ? labels.chooseUser : undefined}
          />
        </Box>
      </LinkContext.Provider>
    </ColourContext.Provider>
  );
}
