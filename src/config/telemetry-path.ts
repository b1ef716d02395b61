// WEB_TELEMETRY_PATH (--web.telemetry-path): where /metrics moves to, as Go exporters let it move. A path
// fastify takes literally (no `:param`, no `*`), and none the exporter already answers on.

/** The routes the exporter serves besides the metrics (src/http/*: a test compares with the app's routes). */
export const OWN_PATHS = ['/', '/api/v1/accounts', '/healthz', '/readyz', '/-/healthy', '/-/ready', '/-/reload'] as const

/** What is wrong with a telemetry path, or undefined when it can serve the metrics. */
export function telemetryPathProblem (path: string): string | undefined {
  if (!/^\/[\w.~/-]*$/.test(path)) return 'must be a path starting with / (letters, digits and . _ ~ - / only)'
  if ((OWN_PATHS as readonly string[]).includes(path)) return 'is another route of the exporter'
  return undefined
}
