// The parts of @kubernetes/client-node this tool uses, by name. Imported dynamically (only a
// command that talks to a cluster loads it), and named rather than taken as the whole package,
// so that the bundler keeps only these and what they need: the package index re-exports exec,
// attach, port-forward, cp (tar), top and metrics too, which would otherwise be loaded on
// every cluster read.
export { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, ListWatch, Observable, Watch } from '@kubernetes/client-node'
