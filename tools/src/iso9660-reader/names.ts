/** File names as plain ISO 9660 and Joliet write them. */

const latin1 = new TextDecoder('latin1');
const ucs2 = new TextDecoder('utf-16be');

/** `README.TXT;1` → `README.TXT`, `BUILD.;1` → `BUILD`. */
export function plainName(identifier: Uint8Array): string {
  return stripVersion(latin1.decode(identifier)).replace(/\.$/, '');
}

/** Joliet names are UCS-2, big-endian, with the same optional `;1` version. */
export function jolietName(identifier: Uint8Array): string {
  return stripVersion(ucs2.decode(identifier));
}

function stripVersion(name: string): string {
  return name.replace(/;\d*$/, '');
}
