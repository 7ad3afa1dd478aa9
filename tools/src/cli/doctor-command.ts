import { assertHost, checkHost, installCommand } from '../core/host.ts';
import type { CheckHostOptions, HostCheckResult, HostUse } from '../core/host.ts';
import { requirementsFor } from '../core/host-uses.ts';

export interface DoctorReport {
  readonly ok: boolean;
  /** The use checked: `build`, `run`, `test` or `bench`. */
  readonly for: HostUse;
  readonly node: { readonly version: string; readonly ok: boolean };
  readonly tools: readonly HostCheckResult[];
  /** The `apt-get install` line for what is missing, when something is. */
  readonly install?: string;
}

const MINIMUM_NODE = [20, 19] as const;

/** Checks this host for everything `use` needs, Node.js included. */
export async function runDoctor(
  use: HostUse,
  options: CheckHostOptions & { nodeVersion?: string } = {},
): Promise<DoctorReport> {
  const tools = await checkHost(requirementsFor(use), options);
  const version = options.nodeVersion ?? process.versions.node;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const nodeOk = major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
  const missing = tools.filter((tool) => !tool.found).map((tool) => tool.requirement);
  return {
    ok: nodeOk && missing.length === 0,
    for: use,
    node: { version, ok: nodeOk },
    tools,
    ...(missing.length === 0 ? {} : { install: installCommand(missing) }),
  };
}

export function describeDoctor(report: DoctorReport): string {
  const lines = [
    `what ${report.for} needs on this host:`,
    `${report.node.ok ? 'ok ' : 'MISSING'} node ${report.node.version} (need >= ${MINIMUM_NODE.join('.')})`,
  ];
  for (const { requirement, found, location } of report.tools) {
    const name = requirement.kind === 'command' ? requirement.command : requirement.path;
    lines.push(
      found
        ? `ok  ${name} (${location ?? 'present'})`
        : `MISSING ${name}: ${requirement.reason}; Debian package '${requirement.debianPackage}'`,
    );
  }
  if (report.install !== undefined) lines.push(`install what is missing: ${report.install}`);
  return lines.join('\n');
}

/** Fails with one error naming every missing tool and the packages to install. */
export function assertDoctor(report: DoctorReport): void {
  if (!report.node.ok) {
    assertHost([
      ...report.tools,
      {
        requirement: {
          kind: 'command',
          command: `node >= ${MINIMUM_NODE.join('.')}`,
          debianPackage: 'nodejs',
          reason: 'run the builders',
        },
        found: false,
      },
    ]);
  }
  assertHost(report.tools);
}
