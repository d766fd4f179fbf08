import type { Attributes } from '@opentelemetry/api';
import { mergeResourceAttributesConfig } from '@opentelemetry/configuration';
import { ATTR_SERVICE_NAME } from '../../semconv';
import type { FileModel, ResourceModel } from './config-file-schema';

/**
 * The resource attributes the file gives: `attributes` over `attributes_list`; an entry whose
 * value is null (an unset `${VAR}`) is left out.
 */
export function fileResourceAttributes(model: ResourceModel | null | undefined): Attributes {
  const entries = mergeResourceAttributesConfig(
    model?.attributes?.map(({ name, value }) => ({ name, value })),
    model?.attributes_list ?? undefined,
  );
  return Object.fromEntries(
    (entries ?? []).flatMap(({ name, value }) => (value === null ? [] : [[name, value]])),
  );
}

/**
 * `service.name` as the file decides it: its attributes, else `OTEL_SERVICE_NAME` when it lists the
 * `service` detector; undefined leaves the service's own name.
 */
export function fileServiceName(model: FileModel, env: NodeJS.ProcessEnv): string | undefined {
  const attribute = fileResourceAttributes(model.resource)[ATTR_SERVICE_NAME];
  if (attribute !== undefined) return String(attribute);
  const detectors = model.resource?.['detection/development']?.detectors ?? [];
  const detectsService = detectors.some((entry) => 'service' in entry);
  return (detectsService && env.OTEL_SERVICE_NAME?.trim()) || undefined;
}

/** `tracer_provider.limits` over `attribute_limits`, as the format says. */
export function fileMaxAttributeLength(model: FileModel): number | undefined {
  return (
    model.tracer_provider?.limits?.attribute_value_length_limit ??
    model.attribute_limits?.attribute_value_length_limit ??
    undefined
  );
}

/**
 * The propagators in order, `composite` then `composite_list`, without repeats; `none` alone when
 * listed. Empty when the file names none: nothing is propagated, as the format says.
 */
export function propagatorNames(model: FileModel['propagator']): string[] {
  const names = [
    ...(model?.composite ?? []).flatMap((entry) => Object.keys(entry)),
    ...(model?.composite_list ?? '').split(',').map((name) => name.trim()),
  ].filter(Boolean);
  return names.includes('none') ? ['none'] : [...new Set(names)];
}
