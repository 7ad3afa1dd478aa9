import { readFile } from 'node:fs/promises';

/** The install tools the live system carries, each a POSIX sh script for busybox ash and bash. */
export const INSTALL_TOOLS = ['recstrap', 'recfstab', 'recchroot', 'recupdate'] as const;
export type InstallTool = (typeof INSTALL_TOOLS)[number];

/** Where the image keeps the install tools. */
export const INSTALL_TOOL_DIR = '/usr/bin';

/** The file an install tool is kept in, beside this module. */
export function installToolSource(tool: InstallTool): URL {
  return new URL(`./${tool}.sh`, import.meta.url);
}

/** An install tool's script. */
export async function installToolScript(tool: InstallTool): Promise<string> {
  return readFile(installToolSource(tool), 'utf8');
}

/** The health check every installed slot runs before a trial boot is blessed (recupdate health). */
export const HEALTH_CHECK = {
  path: '/usr/lib/recupdate/health.d/10-mounts',
  source: new URL('./health-mounts.sh', import.meta.url),
} as const;
