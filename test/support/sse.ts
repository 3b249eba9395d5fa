/** One Server-Sent Events block: its `event:` name, if any, and its `data:` lines joined. */
export interface SseBlock {
  event?: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body until the server ends it or the caller aborts the fetch.
 * `block` gets each complete (blank-line terminated) block; `chunk` then gets the raw text
 * of the read that carried them. An error thrown by either ends the reading, as an abort does.
 */
export async function readSse(body: NonNullable<Response['body']>, on: { block(b: SseBlock): void; chunk?(text: string): void }): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        on.block({
          event: lines.find((l) => l.startsWith('event: '))?.slice(7),
          data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'),
        });
      }
      on.chunk?.(value);
    }
  } catch {
    // aborted by the caller
  }
}
