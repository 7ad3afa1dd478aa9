/**
 * Which package architectures install on a target, and which is preferred. Each target lists
 * its compatible architectures best first; every entry is its own family, so a choice between
 * x86_64 and i686 candidates keeps x86_64 only (and noarch, which fits everything).
 */
const COMPATIBLE: Readonly<Record<string, readonly string[]>> = {
  x86_64: ['x86_64', 'athlon', 'i686', 'i586', 'i486', 'i386'],
  x86_64_v2: ['x86_64_v2', 'x86_64', 'athlon', 'i686', 'i586', 'i486', 'i386'],
  x86_64_v3: ['x86_64_v3', 'x86_64_v2', 'x86_64', 'athlon', 'i686', 'i586', 'i486', 'i386'],
  i686: ['i686', 'i586', 'i486', 'i386'],
  aarch64: ['aarch64'],
  ppc64le: ['ppc64le'],
  s390x: ['s390x', 's390'],
  riscv64: ['riscv64'],
};

export const NOARCH = 'noarch';

/** Architecture preferences for one target. */
export interface ArchPolicy {
  readonly target: string;
  /** 0 for packages that cannot be installed, 1 for noarch, 2 and up: lower is better. */
  score(arch: string): number;
}

export function archPolicy(target: string): ArchPolicy {
  const compatible = COMPATIBLE[target] ?? [target];
  const scores = new Map<string, number>(compatible.map((arch, index) => [arch, index + 2]));
  scores.set(NOARCH, 1);
  return {
    target,
    score: (arch) => scores.get(arch) ?? 0,
  };
}
