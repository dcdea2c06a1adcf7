import { describe, expect, it } from 'vitest';
import {
  backspace,
  browse,
  complete,
  deleteWordBack,
  editorOf,
  emptyEditor,
  emptyHistory,
  insert,
  moveCursor,
  remember,
} from '../../src/tui/editor.js';

describe('the input line', () => {
  it('inserts at the cursor and deletes whole characters, emoji included', () => {
    let editor = insert(emptyEditor, 'hi👍');
    expect(editor).toEqual({ text: 'hi👍', cursor: 3 });
    editor = backspace(editor);
    expect(editor).toEqual({ text: 'hi', cursor: 2 });
    editor = insert(moveCursor(editor, 'start'), '张');
    expect(editor).toEqual({ text: '张hi', cursor: 1 });
    expect(moveCursor(editor, 'end').cursor).toBe(3);
    expect(moveCursor(moveCursor(editor, 'start'), 'left').cursor).toBe(0);
  });

  it('deletes the word before the cursor', () => {
    expect(deleteWordBack(editorOf('hello big world  '))).toEqual({ text: 'hello big ', cursor: 10 });
  });

  it('completes names by prefix, case-insensitive, and cycles on repeated Tab', () => {
    const names = ['bob', 'Bobby', 'carol'];
    const first = complete(editorOf('hi bo'), names);
    expect(first.editor.text).toBe('hi Bobby ');
    const second = complete(first.editor, names, first.completion);
    expect(second.editor.text).toBe('hi bob ');
    expect(complete(editorOf('hi x'), names).editor.text).toBe('hi x');
    expect(complete(editorOf('/msg 张'), ['张三']).editor).toEqual({ text: '/msg 张三 ', cursor: 8 });
  });

  it('walks the history and brings the draft back', () => {
    let history = remember(remember(emptyHistory(), 'one'), 'two');
    let step = browse(history, 'draft', 'older');
    expect(step.text).toBe('two');
    step = browse(step.history, step.text, 'older');
    expect(step.text).toBe('one');
    step = browse(step.history, step.text, 'older');
    expect(step.text).toBe('one');
    step = browse(step.history, step.text, 'newer');
    step = browse(step.history, step.text, 'newer');
    expect(step.text).toBe('draft');
    history = remember(step.history, 'two');
    expect(history.entries).toEqual(['one', 'two']);
  });
});
