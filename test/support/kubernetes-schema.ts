import type { KubernetesObject } from './kustomize';

/**
 * The Kubernetes API schema the manifests are checked against, offline: `kubernetes-models` 5.1.0
 * holds the JSON schemas of Kubernetes 1.36's OpenAPI (its 5.0.0 changelog: "Update to Kubernetes
 * v1.36.0"), compiled into one validator per kind; `@kubernetes-models/prometheus-operator` 6.0.0
 * holds the PodMonitor's CRD schema. Like the API server's OpenAPI, the schemas let unknown fields
 * through (a misspelt field is caught by kubectl's strict field validation on a cluster, and by
 * the wiring test for the fields it reads).
 */
interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

/** Where the model of an `apiVersion` lives: core `v1`, a group's `group/version`, or a CRD's. */
function modulePath({ apiVersion, kind }: KubernetesObject): string {
  if (apiVersion.startsWith('monitoring.coreos.com/'))
    return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The schema's complaints about one object; empty when it is valid. */
export async function schemaErrors(object: KubernetesObject): Promise<string[]> {
  let Model: ModelClass;
  try {
    const module = (await import(modulePath(object))) as Record<string, ModelClass>;
    Model = module[object.kind]!;
  } catch {
    return [`no schema for ${object.apiVersion} ${object.kind}`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
