export { ROOT, spawnService, stopAllServices, type SpawnedService, type SpawnOptions } from '../../src/devtools/spawn-service';
