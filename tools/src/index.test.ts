import { describe, expect, it } from 'vitest';
import * as tools from './index.ts';

describe('public API', () => {
  it('exports the core building blocks', () => {
    expect(Object.keys(tools).sort()).toEqual(
      [
        'HOST_TOOLS',
        'InternalError',
        'ToolError',
        'UserError',
        'assertHost',
        'baseEnvironment',
        'checkHost',
        'createReporter',
        'createRunner',
        'describeThrown',
        'detectReporterMode',
        'exitCodeFor',
        'formatDuration',
        'formatError',
        'inStage',
        'shellQuote',
      ].sort(),
    );
  });
});
