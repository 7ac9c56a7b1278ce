import { ERROR_CODES, type ErrorCodeId } from './findings/catalogue.js'
import type { ToolError } from './findings/types.js'

/** An error the tool reports with a stable code and exit code, never with a stack trace. */
export class CodedError extends Error {
  constructor(
    readonly id: ErrorCodeId,
    message: string,
    readonly suggestion: string = ERROR_CODES[id].suggestion,
  ) {
    super(message)
  }

  get exitCode(): 2 | 3 {
    return ERROR_CODES[this.id].exitCode
  }

  toToolError(): ToolError {
    return { code: this.id, message: this.message, suggestion: this.suggestion }
  }
}
