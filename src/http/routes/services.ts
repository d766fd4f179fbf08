import { delegate, type DelegateNeeds } from './delegate';
import { eraseMemory, type EraseMemoryNeeds } from './erase-memory';
import { execute, subAgentExecute } from './execute';
import { feedback, type FeedbackRouteNeeds } from './feedback';
import type { Route } from './route';
import type { RunNeeds } from './run-from-request';
import { stream, type StreamNeeds } from './stream';

// Each service's routes, in the order `/openapi.json` lists them: the one list its router and its
// document are both built from (`routerOf`, `operationsOf`). A new route is a file in this folder
// and a line in a list; what it needs joins the service's needs below.

/** What the agent service gives its routes (src/server.ts). */
export type AgentServiceNeeds = StreamNeeds & DelegateNeeds & FeedbackRouteNeeds & EraseMemoryNeeds;

export const AGENT_ROUTES: readonly Route<AgentServiceNeeds>[] = [
  execute,
  stream,
  delegate,
  feedback,
  eraseMemory,
];

/** What the sub-agent service gives its routes (src/subagent/server.ts). */
export type SubAgentServiceNeeds = RunNeeds & EraseMemoryNeeds;

export const SUB_AGENT_ROUTES: readonly Route<SubAgentServiceNeeds>[] = [
  subAgentExecute,
  eraseMemory,
];
