import { runLoad } from '../bench/load';
import { waitForMcpTools } from '../process/spawn-service';
import { describeAnswer, describeRequest, EXECUTE, send, type StepRequest } from './answers';
import { attributeValues, consoleLines, type ConsoleView } from './console-view';
import {
  describeService,
  startWorkshopService,
  type ServiceKind,
  type WorkshopService,
} from './workshop-services';

export interface ServicePlan {
  kind: ServiceKind;
  envFile?: string;
  /** Stopped before the requests, as a student stops it with Ctrl+C to see what fails. */
  stopBeforeRequests?: boolean;
}

export interface LoadPlan {
  body: Record<string, unknown>;
  connections: number;
  /** As many requests, or as long a run. */
  requests?: number;
  seconds?: number;
}

export interface ServicesStepOptions {
  /** Started in this order: the sub-agent and the tool service before the agent that calls them. */
  services: readonly ServicePlan[];
  requests?: readonly StepRequest[];
  load?: LoadPlan;
  /** Response headers to print under each answer. */
  showHeaders?: readonly string[];
  console?: ConsoleView;
  /** An attribute whose values on the agent's trees are listed, in order (1.3). */
  listAttribute?: string;
}

export interface StepContext {
  print(line?: string): void;
  /** Given after `--`: a task in place of the first request's. */
  task: string | undefined;
}

/** Wiring as docker-compose.tracing.yml has it, with the URLs of the services started before. */
function wiringFor(kind: ServiceKind, started: readonly WorkshopService[]): Record<string, string> {
  if (kind !== 'agent') return {};
  const url = (name: string) => started.find((service) => service.name === name)?.url;
  const subAgent = url('sub-agent-service');
  const tools = url('tool-service');
  return {
    ...(subAgent ? { SUB_AGENT_URL: subAgent } : {}),
    ...(tools ? { MCP_SERVER_URL: `${tools}/mcp` } : {}),
  };
}

async function runRequests(
  agent: WorkshopService,
  requests: readonly StepRequest[],
  { print, task }: StepContext,
  showHeaders: readonly string[],
): Promise<void> {
  for (const [index, request] of requests.entries()) {
    const sent = index === 0 && task ? { ...request, body: { ...request.body, task } } : request;
    for (const line of describeRequest(sent)) print(line);
    for (const line of describeAnswer(await send(agent.url, sent), showHeaders)) print(line);
  }
}

async function runLoadPlan(agent: WorkshopService, load: LoadPlan, { print }: StepContext) {
  print(
    `→ ${load.requests ? `${load.requests} ×` : `for ${load.seconds} s,`} POST ${EXECUTE} ${JSON.stringify(load.body)} (${load.connections} at a time)`,
  );
  const result = await runLoad({
    url: `${agent.url}${EXECUTE}`,
    body: load.body,
    connections: load.connections,
    amount: load.requests,
    durationSeconds: load.seconds,
  });
  // A timed run cuts the requests in flight when it ends: those have no answer.
  const others = Object.entries(result.statusCounts)
    .filter(([status]) => status !== '200')
    .map(([status, count]) => `, ${count} answered ${status}`);
  const seconds = result.durationSeconds.toFixed(1);
  print(`← ${result.statusCounts['200'] ?? 0} answered 200 in ${seconds} s${others.join('')}`);
}

/**
 * Most steps of the workshop: start the services a section needs (each as its own terminal would
 * run it), send the section's requests or load, stop the services, and print each console.
 */
export async function runServicesStep(options: ServicesStepOptions, context: StepContext) {
  const { print } = context;
  const started: WorkshopService[] = [];
  try {
    for (const plan of options.services) {
      const service = await startWorkshopService({
        kind: plan.kind,
        envFile: plan.envFile,
        wiring: wiringFor(plan.kind, started),
      });
      started.push(service);
      print(`${describeService(service)} on ${service.url}`);
    }
    const agent = started.find((service) => service.name === 'agent-service')!;
    if (options.services.some((plan) => plan.kind === 'tools'))
      await waitForMcpTools(agent.process);
    for (const [index, plan] of options.services.entries())
      if (plan.stopBeforeRequests) {
        await started[index]!.process.stop('SIGTERM');
        print(`${started[index]!.name} stopped (Ctrl+C)`);
      }
    print();
    if (options.requests)
      await runRequests(agent, options.requests, context, options.showHeaders ?? []);
    if (options.load) await runLoadPlan(agent, options.load, context);
  } finally {
    for (const service of [...started].reverse()) await service.process.stop('SIGTERM');
  }
  // The agent's console first: the terminal of `npm start`, where a student looks first.
  const shownFirst = [...started.entries()].sort(
    ([, a], [, b]) => Number(b.name === 'agent-service') - Number(a.name === 'agent-service'),
  );
  for (const [index, service] of shownFirst) {
    if (options.services[index]!.stopBeforeRequests) continue;
    print();
    print(`── the console of ${service.name}`);
    for (const line of consoleLines(service.process.output(), options.console ?? 'all'))
      print(line);
  }
  if (options.listAttribute) {
    const agent = started.find((service) => service.name === 'agent-service')!;
    const values = attributeValues(agent.process.output(), options.listAttribute);
    const shown = values.slice(0, 10).map((value) => String(Number(Number(value).toPrecision(2))));
    const more = values.length > 10 ? ' …' : '';
    print();
    print(
      `${options.listAttribute} of the ${values.length} roots, in order: ${shown.join(' ')}${more}`,
    );
  }
}
