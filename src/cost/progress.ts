/** A one-line progress note on stderr, rewritten in place; silent unless stderr is a terminal. */
export interface Progress {
  show(text: string): void;
  clear(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { show() {}, clear() {} };
  const width = Math.max(20, (stream.columns || 80) - 1);
  return {
    show: (text) => stream.write(`\r\x1b[2K${text.slice(0, width)}`),
    clear: () => stream.write('\r\x1b[2K'),
  };
}
