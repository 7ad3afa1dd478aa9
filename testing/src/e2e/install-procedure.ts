import type { VariantSpec } from '@levitate/distro-spec';

export interface ProcedureStep {
  readonly command: string;
  readonly timeoutMs: number;
}

export interface ProcedureOptions {
  /** The whole disk to install on, such as /dev/vda. */
  readonly disk: string;
  readonly rootPassword: string;
}

const MINUTE = 60_000;

/**
 * The README's install procedure for one variant, as the commands typed on the live console:
 * partition, make the file systems, mount, recstrap, recfstab, then inside recchroot set the
 * root password, add a user in wheel, and install systemd-boot with one loader entry per slot
 * UKI.
 */
export function installProcedure(spec: VariantSpec, options: ProcedureOptions): ProcedureStep[] {
  const { disk } = options;
  const entry = (slot: string) => `${spec.variant}-${slot}.conf`;
  const loaderEntries = spec.boot.slots.map(
    (slot) =>
      `printf 'title ${spec.name} (${slot.partitionLabel})\\nefi /EFI/Linux/${slot.uki}\\n' > /boot/loader/entries/${entry(slot.slot)}`,
  );
  const inside = [
    `echo 'root:${options.rootPassword}' | chpasswd`,
    'useradd -m -G wheel me',
    `echo 'me:${options.rootPassword}' | chpasswd`,
    'mkdir -p /boot/EFI/Linux',
    ...spec.boot.slots.map((slot) => `cp /media/cdrom/boot/uki/${slot.uki} /boot/EFI/Linux/`),
    'bootctl install',
    'mkdir -p /boot/loader/entries',
    ...loaderEntries,
    `printf 'default ${entry('a')}\\ntimeout 3\\n' > /boot/loader/loader.conf`,
  ].join(' && ');
  return [
    { command: `sgdisk -Z ${disk}`, timeoutMs: MINUTE },
    {
      command: `sgdisk -n 1:0:+1G -t 1:ef00 -c 1:EFI -n 2:0:+64G -t 2:8300 -c 2:system-a -n 3:0:+64G -t 3:8300 -c 3:system-b -n 4:0:0 -t 4:8300 -c 4:var ${disk}`,
      timeoutMs: MINUTE,
    },
    { command: `mkfs.fat -F32 -n EFI ${disk}1`, timeoutMs: MINUTE },
    { command: `mkfs.ext4 -q -L system-a ${disk}2`, timeoutMs: 3 * MINUTE },
    { command: `mkfs.ext4 -q -L system-b ${disk}3`, timeoutMs: 3 * MINUTE },
    { command: `mkfs.ext4 -q -L var ${disk}4`, timeoutMs: 3 * MINUTE },
    {
      command: `mount ${disk}2 /mnt && mount --mkdir ${disk}1 /mnt/boot && mount --mkdir ${disk}4 /mnt/var`,
      timeoutMs: MINUTE,
    },
    { command: 'recstrap /mnt', timeoutMs: 10 * MINUTE },
    { command: 'recfstab /mnt >> /mnt/etc/fstab', timeoutMs: MINUTE },
    {
      command: `recchroot /mnt /bin/sh -c "${inside.replaceAll('"', '\\"')}"`,
      timeoutMs: 3 * MINUTE,
    },
  ];
}
