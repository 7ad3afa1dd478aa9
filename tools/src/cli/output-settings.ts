import { createReporter, detectReporterMode } from '../core/step.ts';
import type { Reporter } from '../core/step.ts';

/** The program-wide options that shape output: `--debug` and `--log-format`. */
export interface OutputSettings {
  readonly debug?: boolean;
  readonly logFormat: 'auto' | 'plain' | 'json';
}

/** The progress reporter the settings ask for, on stderr. */
export function reporterFrom(settings: OutputSettings): Reporter {
  const mode = settings.logFormat === 'auto' ? detectReporterMode({}) : settings.logFormat;
  return createReporter({ mode, debug: settings.debug === true });
}
