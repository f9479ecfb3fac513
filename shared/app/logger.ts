/**
 * The logger port: structured fields, one line per entry. On AWS the Lambda entry points hand in Powertools'
 * Logger (JSON with the request id); locally a readable console logger.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per entry on stdout/stderr (the default where nothing else is handed in). */
export const jsonLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'INFO', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'WARN', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'ERROR', message, ...fields })),
};

/** A logger that keeps quiet (tests that provoke failures on purpose). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
