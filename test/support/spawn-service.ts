import {
  spawnService as spawnProcess,
  type SpawnedService,
  type SpawnOptions,
} from '../../dev/process/spawn-service';
import { rememberDocument } from './contract-request';

export {
  freePort,
  ROOT,
  stopAllServices,
  type SpawnedService,
  type SpawnOptions,
} from '../../dev/process/spawn-service';

/**
 * Starts a built service (see dev/process/spawn-service.ts) and, when it serves an OpenAPI
 * document, keeps it: every answer `contract-request` gets from that service is then checked
 * against it.
 */
export async function spawnService(options?: SpawnOptions): Promise<SpawnedService> {
  const service = await spawnProcess(options);
  const response = await fetch(`${service.url}/openapi.json`);
  if (response.ok)
    rememberDocument(service.url, (await response.json()) as Record<string, unknown>);
  return service;
}
