/**
 * How QEMU runs the guest CPU. TCG emulates `-cpu max`, which has the x86-64-v3 features
 * (AVX2, FMA, BMI2, MOVBE) Rocky Linux 10's glibc requires; QEMU's default model lacks them.
 * KVM passes the host CPU through, and is used only when asked for with
 * `LEVITATE_QEMU_ACCEL=kvm`, since a /dev/kvm that exists may still not run guests.
 */
export function acceleratorArgs(env: NodeJS.ProcessEnv = process.env, machine = 'pc'): string[] {
  const wanted = env['LEVITATE_QEMU_ACCEL'] ?? 'tcg';
  if (wanted === 'kvm') return ['-machine', machine, '-accel', 'kvm', '-cpu', 'host'];
  if (wanted === 'tcg') return ['-machine', machine, '-accel', 'tcg', '-cpu', 'max'];
  throw new Error(`LEVITATE_QEMU_ACCEL must be tcg or kvm, not "${wanted}"`);
}
