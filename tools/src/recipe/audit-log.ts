import { appendFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const AUDIT_LOG = 'audit.log';

export interface AuditRecord {
  readonly action: 'install' | 'upgrade' | 'remove' | 'recover';
  readonly recipe: string;
  readonly version?: string;
  readonly recipeSha256?: string;
  readonly sources?: readonly { readonly url: string; readonly sha256: string }[];
  readonly files?: readonly string[];
  readonly outcome: 'done' | 'failed' | 'rolled back';
  readonly error?: string;
}

function who(): string {
  try {
    const user = userInfo();
    return `${user.username} (uid ${user.uid})`;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/** Appends one JSON line to `<recipes>/audit.log`: when, who, and what was done. */
export async function audit(recipesDir: string, record: AuditRecord): Promise<void> {
  const line = JSON.stringify({ time: new Date().toISOString(), user: who(), ...record });
  await appendFile(join(recipesDir, AUDIT_LOG), `${line}\n`, { mode: 0o644 });
}
