import { InternalError } from './errors.ts';
import type { HostRequirement, HostTool, HostUse } from './host.ts';
import { HOST_TOOLS } from './host-tools.ts';
import type { HostToolId } from './host-tools.ts';

export const HOST_USES = [
  'build',
  'run',
  'sign',
  'test',
  'bench',
] as const satisfies readonly HostUse[];

/** What each use takes in: the tests build, sign and boot ISOs, the benchmarks build them. */
const TAKES_IN: Readonly<Record<HostUse, readonly HostUse[]>> = {
  build: ['build'],
  run: ['run'],
  sign: ['sign'],
  test: ['test', 'build', 'run', 'sign'],
  bench: ['bench', 'build'],
};

/**
 * `tool` as a requirement of `use`, with the reason of the first use `use` takes in that needs
 * it; undefined when `use` does not need it.
 */
export function requirementFor(tool: HostTool, use: HostUse): HostRequirement | undefined {
  const reason = TAKES_IN[use].map((taken) => tool.needs[taken]).find((text) => text !== undefined);
  if (reason === undefined) return undefined;
  const { debianPackage } = tool;
  return tool.kind === 'command'
    ? { kind: 'command', command: tool.command, debianPackage, reason }
    : { kind: 'file', path: tool.path, debianPackage, reason };
}

/** Everything `use` needs from the host, in the registry's order. */
export function requirementsFor(use: HostUse): HostRequirement[] {
  return Object.values<HostTool>(HOST_TOOLS).flatMap((tool) => requirementFor(tool, use) ?? []);
}

/** The named tools as requirements of `use`; naming a tool that `use` does not need is a bug. */
export function requirementsOf(ids: readonly HostToolId[], use: HostUse): HostRequirement[] {
  return ids.map((id) => {
    const requirement = requirementFor(HOST_TOOLS[id], use);
    if (requirement === undefined) {
      throw new InternalError(`the host tool registry does not list ${id} as needed for ${use}`);
    }
    return requirement;
  });
}
