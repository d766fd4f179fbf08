/**
 * The model behind one small interface: the loop speaks only these types, so another SDK or
 * provider is one new adapter file. The message shape follows the GenAI semantic conventions'
 * message format, so it can be recorded on spans as it is.
 */

export type JsonObject = { [key: string]: unknown };

export interface TextPart {
  type: 'text';
  content: string;
}

export interface ToolCallPart {
  type: 'tool_call';
  id: string;
  name: string;
  arguments: JsonObject;
}

export interface ToolCallResponsePart {
  type: 'tool_call_response';
  id: string;
  name: string;
  response: JsonObject;
}

export type MessagePart = TextPart | ToolCallPart | ToolCallResponsePart;

export interface Message {
  role: 'user' | 'assistant' | 'tool';
  parts: MessagePart[];
}

/** A tool as the model sees it: a name, what it is for, and a JSON schema for its arguments. */
export interface ToolDeclaration {
  name: string;
  description: string;
  parameters: JsonObject;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelTurn {
  /** The model's text, if it wrote any (it may write text and ask for tools in one turn). */
  text: string | undefined;
  toolCalls: ToolCallPart[];
  finishReasons: string[];
  usage: TokenUsage;
  responseModel: string | undefined;
  responseId: string | undefined;
  /** The turn as a message, to append to the conversation. */
  message: Message;
}

export interface GenerateRequest {
  messages: Message[];
  tools: readonly ToolDeclaration[];
  systemInstruction?: string;
  signal?: AbortSignal;
}

/** A piece of a streamed turn, as it arrives: its text, if the chunk carried any. */
export interface TurnChunk {
  textDelta: string | undefined;
}

export interface StreamRequest extends GenerateRequest {
  /** Called for each chunk as it arrives, before the whole turn is returned. */
  onChunk: (chunk: TurnChunk) => void;
}

export interface ChatModel {
  /** `gen_ai.provider.name` of the spans this model's calls produce. */
  readonly providerName: string;
  readonly modelName: string;
  /** Where requests go, for `server.address` / `server.port`. */
  readonly endpoint: URL;
  generate(request: GenerateRequest): Promise<ModelTurn>;
  /**
   * The same turn, streamed: `onChunk` sees each chunk as it arrives; the promise gives the whole
   * turn once the stream ends, its usage taken from the final chunk (Gemini's is cumulative).
   */
  generateStream(request: StreamRequest): Promise<ModelTurn>;
}
