// The code catalogue as text or as the README's Markdown tables (npm run docs:codes).

import { ERROR_CODES, FINDING_CODES } from '../core/findings/catalogue.js'
import { columns } from './columns.js'

export function renderCodes(format: 'text' | 'markdown'): string {
  const findings = Object.values(FINDING_CODES)
  const errors = Object.values(ERROR_CODES)
  if (format === 'text') {
    return (
      columns(['CODE', 'SEVERITY', 'TITLE'], findings.map((c) => [c.code, c.severity, c.title])) +
      '\n' +
      columns(['ERROR', 'EXIT', 'TITLE'], errors.map((c) => [c.code, String(c.exitCode), c.title]))
    )
  }
  const esc = (s: string): string => s.replaceAll('|', '\\|')
  let md = '| Code | Severity | Title | Fix |\n|---|---|---|---|\n'
  for (const c of findings) md += `| ${c.code} | ${c.severity} | ${esc(c.title)} | ${esc(c.fix)} |\n`
  md += '\n| Error | Exit | Meaning | Suggestion |\n|---|---|---|---|\n'
  for (const c of errors) md += `| ${c.code} | ${c.exitCode} | ${esc(c.title)} | ${esc(c.suggestion)} |\n`
  return md
}
