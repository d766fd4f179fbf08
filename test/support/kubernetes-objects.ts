import path from 'node:path';
import { mergeCollectorConfigs, type CollectorConfig } from '../../dev/collector/collector-config';
import { findObject, type KubernetesObject } from './kustomize';

/** The fields of rendered objects that the Kubernetes tests read. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
export interface HttpProbe {
  httpGet?: { path: string; port: string | number };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  volumeMounts?: { name: string; mountPath: string }[];
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
}
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  serviceAccountName?: string;
  terminationGracePeriodSeconds?: number;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  topologySpreadConstraints?: { topologyKey: string; labelSelector: { matchLabels: object } }[];
  volumes?: { name: string; configMap?: { name: string } }[];
}
export interface Workload extends KubernetesObject {
  spec: {
    replicas?: number;
    serviceName?: string;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
      spec: PodSpec;
    };
  };
}
export interface Service extends KubernetesObject {
  spec: {
    clusterIP?: string;
    selector: Record<string, string>;
    ports: { name?: string; port: number; targetPort?: string | number }[];
  };
}
export interface ConfigMap extends KubernetesObject {
  data: Record<string, string>;
}
export interface Secret extends KubernetesObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/**
 * The configuration a collector (or Jaeger) container starts with: the files its `--config=`
 * arguments name, read from the ConfigMaps mounted there, merged as the collector merges them.
 */
export function collectorConfig(
  objects: readonly KubernetesObject[],
  workload: Workload,
): CollectorConfig {
  const { containers, volumes = [] } = workload.spec.template.spec;
  const container = containers[0]!;
  const files = (container.args ?? [])
    .filter((arg) => arg.startsWith('--config='))
    .map((arg) => arg.slice('--config='.length));
  if (!files.length) throw new Error(`${workload.metadata.name} is given no --config`);
  const texts = files.map((file) => {
    const mount = container.volumeMounts?.find(({ mountPath }) => mountPath === path.dirname(file));
    const configMap = volumes.find(({ name }) => name === mount?.name)?.configMap;
    const text =
      configMap &&
      findObject<ConfigMap>(objects, 'ConfigMap', configMap.name).data[path.basename(file)];
    if (text === undefined)
      throw new Error(`${workload.metadata.name}: ${file} is in no mounted ConfigMap`);
    return text;
  });
  return mergeCollectorConfigs(...texts);
}
