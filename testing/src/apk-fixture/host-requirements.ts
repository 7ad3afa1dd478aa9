import { requirementsOf } from '@levitate/tools';
import type { HostRequirement } from '@levitate/tools';

/** The host programs the APK fixture build runs, from the project's one host tool registry. */
export const APK_FIXTURE_TOOLS: readonly HostRequirement[] = requirementsOf(['busybox'], 'test');
