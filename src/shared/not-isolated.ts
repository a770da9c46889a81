/**
 * The `code` of the error a child throws when a call names something that is
 * not an isolated target (child/isolated-target.ts): a worker tells it from
 * the other load failures by this code and fails the job as refused.
 */
export const NOT_ISOLATED_CODE = 'ERR_ISOLATED_NOT_ISOLATED';
