import { useEffect, useRef } from 'react';
import type { Labels } from '../i18n.js';
import { plainText } from '../layout.js';
import type { MessageLine } from '../store.js';

/** Where the transcript goes: one call per batch of whole lines, each ending in a line end. */
export type TranscriptSink = (text: string) => void;

/**
 * Appends every line the pane gains to the transcript, as plain text after a full date and time, once
 * each (a line cleared from the pane or scrolled out of the kept scrollback stays in the file).
 * `appended`: how many lines the pane has gained in all; the newest of `lines` are the ones not yet written.
 */
export function useTranscript(
  lines: readonly MessageLine[],
  appended: number,
  labels: Labels,
  sink: TranscriptSink | undefined,
): void {
  const written = useRef(0);
  useEffect(() => {
    if (!sink) return;
    const fresh = Math.min(appended - written.current, lines.length);
    written.current = appended;
    let text = '';
    for (const line of lines.slice(lines.length - fresh)) text += `${stamp(line.time)} ${plainText(line, labels)}\n`;
    if (text !== '') sink(text);
  }, [lines, appended, labels, sink]);
}

function stamp(time: number): string {
  const date = new Date(time);
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}
