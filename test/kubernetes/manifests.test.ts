import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SHARED_CONFIGS, sharedConfigCopies } from '../../dev/deploy/shared-configs';
import { schemaErrors } from '../support/kubernetes-schema';
import { kustomizeComponent, OVERLAYS, renderOverlay } from '../support/kustomize';
import { describeWithComponent } from '../support/needs-component';

/**
 * No cluster is reachable here: what can be proven without one is that every overlay renders as
 * `kubectl apply -k` would render it, and that every object it renders is one the API server's
 * schema accepts (test/support/kubernetes-schema.ts says which schema). The wiring against the
 * code is test/kubernetes/wiring.test.ts.
 */
const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

describeWithComponent('the Kubernetes overlays', kustomizeComponent(), () => {
  it.each(OVERLAYS)(
    'renders %s with kubectl kustomize into objects the Kubernetes 1.36 API schema accepts',
    async (overlay) => {
      const objects = renderOverlay(overlay);
      expect(objects.length).toBeGreaterThan(20);
      const errors = await Promise.all(
        objects.map(async (object) =>
          (await schemaErrors(object)).map(
            (error) => `${object.kind} ${object.metadata.name}: ${error}`,
          ),
        ),
      );
      expect(errors.flat()).toEqual([]);
    },
  );
});

describe('the schema check', () => {
  it('refuses an object the API server would refuse, and a kind it has no schema for', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          spec: {
            containers: [
              { name: 'agent', image: 'traced-agent:0.1.0', ports: [{ containerPort: 'http' }] },
            ],
          },
        },
      },
    };
    expect((await schemaErrors(deployment)).join()).toMatch(/containerPort must be integer/);
    expect(await schemaErrors({ ...deployment, kind: 'Deploymnet' })).toEqual([
      'no schema for apps/v1 Deploymnet',
    ]);
  });
});

describe('the manifests’ copies of the files compose and the image use', () => {
  const copies = sharedConfigCopies(read);

  it.each(SHARED_CONFIGS.map(({ source, copy }) => [copy, source]))(
    '%s is what npm run deploy:generate writes from %s',
    (copy) => {
      expect(read(copy)).toBe(copies.get(copy));
    },
  );
});
