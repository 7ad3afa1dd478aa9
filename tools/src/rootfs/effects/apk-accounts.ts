import type { VerifiedPackage } from '../../backend/types.ts';
import type { PackageScript } from '../../packages/model.ts';
import { AccountFiles } from '../account-files.ts';
import { parseAccountCommand } from './account-commands.ts';
import type { AccountCommand } from './account-commands.ts';
import { applyAccountCommand } from './busybox-accounts.ts';
import { scriptLines } from './script-lines.ts';
import type { EffectContext, ScriptEffect } from './types.ts';

/** apk runs a package's pre-install script before its files land and post-install after. */
const PHASES = ['pre-install', 'post-install'];
const ID = 'apk-accounts';

function commandsOf(script: PackageScript): { index: number; command: AccountCommand }[] {
  if (!PHASES.includes(script.phase)) return [];
  return scriptLines(script.body).flatMap(({ index, text }) => {
    const command = parseAccountCommand(text);
    return command === undefined ? [] : [{ index, command }];
  });
}

function scriptsInOrder(pkg: VerifiedPackage): PackageScript[] {
  return PHASES.flatMap((phase) => pkg.scripts.filter((script) => script.phase === phase));
}

/**
 * Users and groups that Alpine install scripts create with busybox's addgroup and adduser,
 * applied to the image's /etc/passwd, /etc/group and /etc/shadow in install order, with
 * busybox's defaults and id allocation.
 */
export const apkAccountsEffect: ScriptEffect = {
  id: ID,
  describe: 'users and groups from APK install scripts (busybox addgroup/adduser)',
  families: ['apk'],
  accounts: true,
  claims(_pkg, script) {
    const lines = commandsOf(script).map(({ index }) => index);
    return lines.length === 0 ? undefined : lines;
  },
  applies({ packages }) {
    return packages.some((pkg) => pkg.scripts.some((script) => commandsOf(script).length > 0));
  },
  async apply({ tree, packages }: EffectContext) {
    const accounts = await AccountFiles.load(tree);
    const context = { tree, accounts, origin: ID };
    const notes: string[] = [];
    for (const pkg of packages) {
      for (const script of scriptsInOrder(pkg)) {
        for (const { command } of commandsOf(script)) {
          const outcome = applyAccountCommand(context, command);
          const where = `${pkg.package.name} ${script.phase}`;
          notes.push(
            `${where}: ${outcome.ok ? '' : 'failed as busybox would: '}${outcome.message}`,
          );
          tree.note('account', '/etc/passwd', ID, `${where}: ${outcome.message}`);
        }
      }
    }
    const written = await accounts.save(tree, ID);
    if (written.length > 0) notes.push(`updated ${written.join(', ')}`);
    return notes;
  },
};
