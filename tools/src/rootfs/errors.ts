import { UserError } from '../core/errors.ts';

/**
 * A problem in what the variant asks of the image (an overlay, a permission declaration, a
 * service) that the person writing the variant can fix.
 */
export class ImageBuildError extends UserError {
  override name = 'ImageBuildError';

  constructor(code: string, message: string, hint?: string) {
    super(code, message, hint === undefined ? undefined : { hint });
  }
}
