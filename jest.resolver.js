/**
 * Jest resolves `require()` with the `require` condition of a package's `exports`. The Kubernetes
 * API schemas (`kubernetes-models` 5 and its `@kubernetes-models/*`, and `is-cidr` they use) are
 * ES modules whose `exports` name only `import`: they, and what they import, resolve here with
 * the `import` condition; jest.config.js compiles them to CommonJS. Every other package resolves
 * as before.
 */
const ES_MODULES_ONLY =
  /(^|\/node_modules\/)(kubernetes-models|@kubernetes-models\/[^/]+|is-cidr|cidr-regex)(\/|$)/;

module.exports = (request, options) => {
  const esmOnly = ES_MODULES_ONLY.test(request) || ES_MODULES_ONLY.test(options.basedir);
  return options.defaultResolver(
    request,
    esmOnly ? { ...options, conditions: ['import', 'default', 'node'] } : options,
  );
};
