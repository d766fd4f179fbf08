export {
  freePort,
  ROOT,
  spawnService,
  stopAllServices,
  type SpawnedService,
  type SpawnOptions,
} from '../../dev/process/spawn-service';
