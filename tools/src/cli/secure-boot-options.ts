import { Option } from 'commander';
import type { Command } from 'commander';
import type { SecureBootOverride } from '@levitate/distro-spec';

/** The Secure Boot flags of the ISO build. */
export interface SecureBootFlags {
  sbKey?: string;
  sbCert?: string;
  sbEnroll?: string;
  sbEnrollMode?: 'manual' | 'force';
}

export function addSecureBootOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--sb-key <file>',
        'sign systemd-boot and every UKI for Secure Boot with this PEM private key (the db key)',
      ),
    )
    .addOption(new Option('--sb-cert <file>', 'the X.509 certificate of --sb-key'))
    .addOption(
      new Option(
        '--sb-enroll <dir>',
        'put these keys (PK.auth, KEK.auth, db.auth from sb-keys) on the ESP for systemd-boot to enrol in setup mode',
      ),
    )
    .addOption(
      new Option(
        '--sb-enroll-mode <mode>',
        'manual: offer the keys in the boot menu; force: enrol them unasked on setup-mode firmware',
      ).choices(['manual', 'force']),
    );
}

/** The flags as settings over the variant's `secureBoot`; none when no flag is given. */
export function secureBootOverrideFrom(flags: SecureBootFlags): SecureBootOverride | undefined {
  const override: SecureBootOverride = {
    ...(flags.sbKey === undefined ? {} : { key: flags.sbKey }),
    ...(flags.sbCert === undefined ? {} : { cert: flags.sbCert }),
    ...(flags.sbEnroll === undefined ? {} : { enrollKeys: flags.sbEnroll }),
    ...(flags.sbEnrollMode === undefined ? {} : { enrollMode: flags.sbEnrollMode }),
  };
  return Object.keys(override).length === 0 ? undefined : override;
}
