import { useEffect, useRef } from 'react';
import type { Labels } from '../i18n.js';
import { plainText } from '../layout.js';
import type { MessageLine } from '../store.js';

/** Where the transcript goes: one call per batch of whole lines, each ending in a line end. */
export type TranscriptSink = (text: string) => void;

/**
 * Appends every line the pane gains to the transcript, as plain text after a full date and time, once
 * each (a line cleared from the pane or scrolled out of the kept scrollback stays in the file).
 */
export function useTranscript(lines: readonly MessageLine[], labels: Labels, sink: TranscriptSink | undefined): void {
  const lastId = useRef(-1);
  useEffect(() => {
    if (!sink) return;
    let text = '';
    for (const line of lines) {
      if (line.id <= lastId.current) continue;
      text += `${stamp(line.time)} ${plainText(line, labels)}\n`;
      lastId.current = line.id;
    }
    if (text !== '') sink(text);
  }, [lines, labels, sink]);
}

function stamp(time: number): string {
  const date = new Date(time);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}
