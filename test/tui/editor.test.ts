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
  MAX_INPUT_CHARACTERS,
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

  it('holds at most MAX_INPUT_CHARACTERS, whatever is pasted into it, and stays quick about it', () => {
    const started = performance.now();
    let editor = insert(emptyEditor, 'x'.repeat(4 << 20));
    expect(editor.text).toBe('x'.repeat(MAX_INPUT_CHARACTERS));
    expect(editor.cursor).toBe(MAX_INPUT_CHARACTERS);
    // Full: more goes nowhere, at the end or in the middle; a character deleted makes room for one.
    expect(insert(editor, 'y')).toEqual(editor);
    expect(insert(moveCursor(editor, 'start'), 'y').text).toBe(editor.text);
    editor = insert(backspace(editor), '👍👍');
    expect(editor.text).toBe(`${'x'.repeat(MAX_INPUT_CHARACTERS - 1)}👍`);
    // Emoji count as one character each, however many units they take.
    expect(insert(emptyEditor, '👨‍👩‍👧'.repeat(MAX_INPUT_CHARACTERS + 5)).cursor).toBe(MAX_INPUT_CHARACTERS);
    // What is kept is laid out again on every key: it must stay small, however much was pasted.
    expect(performance.now() - started).toBeLessThan(2000);
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
    let history = remember(remember(emptyHistory<string>(), 'one', 'public'), 'two', 'public');
    let step = browse(history, { text: 'draft', mode: 'public' }, 'older');
    expect(step.text).toBe('two');
    step = browse(step.history, step, 'older');
    expect(step.text).toBe('one');
    step = browse(step.history, step, 'older');
    expect(step.text).toBe('one');
    step = browse(step.history, step, 'newer');
    step = browse(step.history, step, 'newer');
    expect(step.text).toBe('draft');
    history = remember(step.history, 'two', 'public');
    expect(history.entries.map((entry) => entry.text)).toEqual(['one', 'two']);
  });

  it('recalls each line with the mode it was sent in, and the draft with its own', () => {
    let history = remember(emptyHistory<string>(), 'secret', 'private:alice');
    history = remember(history, 'hello all', 'public');
    history = remember(history, 'hello all', 'private:alice');
    expect(history.entries).toHaveLength(3);
    let step = browse(history, { text: '', mode: 'public' }, 'older');
    expect(step).toMatchObject({ text: 'hello all', mode: 'private:alice' });
    step = browse(step.history, step, 'older');
    step = browse(step.history, step, 'older');
    expect(step).toMatchObject({ text: 'secret', mode: 'private:alice' });
    for (let index = 0; index < 3; index++) step = browse(step.history, step, 'newer');
    expect(step).toMatchObject({ text: '', mode: 'public' });
  });
});
