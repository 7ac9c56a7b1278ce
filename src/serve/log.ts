// serve's structured log: one JSON object per line on stderr ({time, level, msg, …fields}), for
// the cluster's log pipeline. Fields carry codes, kinds and counts, never Secret values (serve
// holds none: Secrets are reduced to key names as they are read).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  return (level, msg, fields = {}) => write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + '\n')
}
