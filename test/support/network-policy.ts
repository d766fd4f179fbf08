import type { KubernetesObject } from './kustomize';

/**
 * Whether the NetworkPolicies of one namespace let a pod open a TCP connection to another pod's
 * port: the rules of the API (networking.k8s.io/v1), for the fields our manifests use. A pod that
 * some policy selects for a direction is isolated in that direction and needs a rule allowing the
 * connection; policies add up. Peers: `podSelector` (this namespace) and `ipBlock` (outside the
 * cluster, which no pod here is); a rule without `from`/`to` allows every peer.
 */
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists'; values?: string[] }[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}
interface Rule {
  ports?: { protocol?: string; port?: number | string }[];
  from?: Peer[];
  to?: Peer[];
}
interface Policy extends KubernetesObject {
  spec: {
    podSelector: LabelSelector;
    policyTypes: ('Ingress' | 'Egress')[];
    ingress?: Rule[];
    egress?: Rule[];
  };
}

/** A pod: its labels and its named container ports. */
export interface PodEnd {
  labels: Record<string, string>;
  ports: Record<string, number>;
}

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => labels[key] === value,
  );
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) =>
    operator === 'Exists'
      ? key in labels
      : operator === 'In'
        ? values.includes(labels[key]!)
        : !values.includes(labels[key]!),
  );
  return byLabel && byExpression;
}

/** A rule's port matches the destination's port, by number or by the destination's port name. */
const portMatches = (rule: Rule, port: number, destination: PodEnd) =>
  !rule.ports ||
  rule.ports.some(
    (allowed) =>
      (allowed.protocol ?? 'TCP') === 'TCP' &&
      (allowed.port === undefined ||
        allowed.port === port ||
        destination.ports[String(allowed.port)] === port),
  );

/** A peer in this namespace: a pod selector with no namespace selector. */
const peerIsPod = (peers: Peer[] | undefined, pod: PodEnd) =>
  !peers ||
  peers.some(
    (peer) => peer.podSelector && !peer.namespaceSelector && selects(peer.podSelector, pod.labels),
  );

function allowedOneWay(
  policies: readonly Policy[],
  direction: 'Ingress' | 'Egress',
  subject: PodEnd,
  peer: PodEnd,
  port: number,
  destination: PodEnd,
): boolean {
  const applying = policies.filter(
    (policy) =>
      policy.spec.policyTypes.includes(direction) &&
      selects(policy.spec.podSelector, subject.labels),
  );
  if (!applying.length) return true;
  return applying.some((policy) =>
    (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress)?.some(
      (rule) =>
        portMatches(rule, port, destination) &&
        peerIsPod(direction === 'Ingress' ? rule.from : rule.to, peer),
    ),
  );
}

/** Whether `from` may connect to `to` on `port`: egress at one end, ingress at the other. */
export function connectionAllowed(
  objects: readonly KubernetesObject[],
  from: PodEnd,
  to: PodEnd,
  port: number,
): boolean {
  const policies = objects.filter((object) => object.kind === 'NetworkPolicy') as Policy[];
  return (
    allowedOneWay(policies, 'Egress', from, to, port, to) &&
    allowedOneWay(policies, 'Ingress', to, from, port, to)
  );
}

/** Whether a pod may reach an address outside the cluster on `port` (an `ipBlock` peer). */
export function egressOutsideAllowed(
  objects: readonly KubernetesObject[],
  from: PodEnd,
  port: number,
): boolean {
  const outside: PodEnd = { labels: {}, ports: {} };
  const policies = (objects.filter((object) => object.kind === 'NetworkPolicy') as Policy[]).filter(
    (policy) =>
      policy.spec.policyTypes.includes('Egress') && selects(policy.spec.podSelector, from.labels),
  );
  if (!policies.length) return true;
  return policies.some((policy) =>
    policy.spec.egress?.some(
      (rule) =>
        portMatches(rule, port, outside) && (!rule.to || rule.to.some((peer) => peer.ipBlock)),
    ),
  );
}
