import { assertHost, checkHost } from '../core/host.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import type { HostToolId } from '../core/host-tools.ts';
import type { HostCheckResult } from '../core/host.ts';

/** What a builder needs from the host to build and boot an ISO. */
export const BUILD_HOST_TOOLS: readonly HostToolId[] = [
  'xorriso',
  'mkfsFat',
  'mcopy',
  'mmd',
  'objcopy',
  'systemdStub',
  'systemdBoot',
  'grubMkimage',
  'grubBootHybrid',
  'qemuSystemX86',
  'ovmfCode',
  'depmod',
];

export interface DoctorReport {
  readonly ok: boolean;
  readonly node: { readonly version: string; readonly ok: boolean };
  readonly tools: readonly HostCheckResult[];
}

const MINIMUM_NODE = [20, 19] as const;

export async function runDoctor(ids: readonly HostToolId[]): Promise<DoctorReport> {
  const tools = await checkHost(ids.map((id) => HOST_TOOLS[id]));
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const nodeOk = major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
  return {
    ok: nodeOk && tools.every((tool) => tool.found),
    node: { version: process.versions.node, ok: nodeOk },
    tools,
  };
}

export function describeDoctor(report: DoctorReport): string {
  const lines = [
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
