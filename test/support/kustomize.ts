import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The overlays users apply, each rendered by `kubectl kustomize` as users render them. */
export const OVERLAYS = ['development', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

const DEPLOY = path.join(__dirname, '..', '..', 'deploy', 'kubernetes');

/** The fields every Kubernetes object has; the rest is read where it is needed. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Kustomize 5 reads the `labels`, `components` and `patches` fields the manifests use. */
const OLDEST_KUSTOMIZE_MAJOR = 5;

/**
 * Whether `kubectl kustomize` can render the overlays here: for `describeWithComponent`. Debian
 * bookworm's `kubernetes-client` is kubectl 1.20 with Kustomize 2.0.3, too old for them.
 */
export function kustomizeComponent(): { missing?: string; install: string } {
  const install =
    'apt-get install kubectl (the Kubernetes or Google Cloud apt repository; kubectl >= 1.27 embeds Kustomize 5)';
  const version = spawnSync('kubectl', ['version', '--client', '--output=json'], {
    encoding: 'utf8',
  });
  if (version.error || version.status !== 0)
    return { missing: 'kubectl is not installed', install };
  const { kustomizeVersion = '' } = JSON.parse(version.stdout) as { kustomizeVersion?: string };
  const major = Number(/^v?(\d+)\./.exec(kustomizeVersion)?.[1] ?? 0);
  if (major < OLDEST_KUSTOMIZE_MAJOR)
    return {
      missing: `kubectl's Kustomize is ${kustomizeVersion || 'unknown'}, older than 5`,
      install,
    };
  return { install };
}

/** Every object an overlay renders to, as `kubectl apply -k` would send them. */
export function renderOverlay(overlay: Overlay): KubernetesObject[] {
  const result = spawnSync('kubectl', ['kustomize', path.join(DEPLOY, 'overlays', overlay)], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${overlay}: ${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => {
    if (document.errors.length) throw document.errors[0]!;
    return document.toJS() as KubernetesObject;
  });
}

/** The one object of this kind and name; throws when there is none. */
export function findObject<T extends KubernetesObject>(
  objects: readonly KubernetesObject[],
  kind: string,
  name: string,
): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`No ${kind} ${name} in the rendered objects`);
  return found as T;
}
