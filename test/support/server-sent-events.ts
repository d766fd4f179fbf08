export interface ServerSentEvent {
  event: string;
  id: string | undefined;
  data: unknown;
}

/** The events in a text/event-stream body (comment lines left out), in order. */
export function parseServerSentEvents(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => line && !line.startsWith(':')))
    .filter((lines) => lines.length)
    .map((lines) => {
      const field = (name: string) =>
        lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
      const data = field('data');
      return {
        event: field('event') ?? 'message',
        id: field('id'),
        data: data && JSON.parse(data),
      };
    });
}

/**
 * Reads a streamed response until `stop` says enough, and returns the events so far, leaving the
 * connection open (the caller decides whether to go away); the body is read to its end when `stop`
 * never holds.
 */
export async function readServerSentEvents(
  response: Response,
  stop: (events: ServerSentEvent[]) => boolean = () => false,
): Promise<{ events: ServerSentEvent[]; text: string }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { events: parseServerSentEvents(text), text };
    text += decoder.decode(value, { stream: true });
    // Only complete events count: the text up to the last blank line.
    const events = parseServerSentEvents(text.slice(0, text.lastIndexOf('\n\n') + 2));
    if (stop(events)) {
      // Released, not cancelled: cancelling would close the connection.
      reader.releaseLock();
      return { events, text };
    }
  }
}
