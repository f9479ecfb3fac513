import type { Logger } from '../../shared/app/logger.js';

/** The local runtime's logger: the same fields as on AWS, as one readable line. */
const line = (level: string, message: string, fields?: Record<string, unknown>): string => {
  const rest = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
  return `${new Date().toISOString()} ${level} ${message}${rest}`;
};

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(line('INFO ', message, fields)),
  warn: (message, fields) => console.warn(line('WARN ', message, fields)),
  error: (message, fields) => console.error(line('ERROR', message, fields)),
};
