import type { ImageTree } from '../rootfs/index.ts';
import type { EfiSigner } from '../secure-boot/efi-signer.ts';

/** systemd-boot as the image's systemd (or systemd-boot package) ships it. */
export const IMAGE_SYSTEMD_BOOT = '/usr/lib/systemd/boot/efi/systemd-bootx64.efi';

/**
 * Puts the signed form of the image's systemd-boot beside it, as `systemd-bootx64.efi.signed`:
 * `bootctl install` and `bootctl update` prefer that file, so an installed system's ESP gets a
 * boot manager its firmware accepts. Returns the path, or undefined when the image has no
 * systemd-boot (then only the ISO's own is signed).
 */
export async function addSignedBootManager(
  tree: ImageTree,
  signer: EfiSigner,
  epoch: number,
): Promise<string | undefined> {
  const found = tree.fileAt(IMAGE_SYSTEMD_BOOT);
  if (found === undefined) return undefined;
  const bytes = await tree.readFile(found.path);
  if (bytes === undefined) return undefined;
  const signed = await signer.sign(bytes, `${IMAGE_SYSTEMD_BOOT} of the image`);
  const path = `${found.path}.signed`;
  const { uid, gid, xattrs } = found.node;
  await tree.writeFile(
    path,
    signed,
    { mode: 0o644, uid, gid, mtime: epoch, xattrs },
    'secure-boot',
  );
  return path;
}
