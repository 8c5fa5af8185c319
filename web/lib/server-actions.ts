/**
 * The largest body a server action takes (a form's submission, components/forms/): the
 * CMS's own limit on a submission (FORM_SUBMISSION_MAX_BYTES, 32 KiB of JSON) with room
 * for the multipart envelope. proxy.ts refuses a larger one with 413 before Next.js reads
 * it; next.config.ts gives Next.js the same limit for bodies of no announced length.
 */
export const SERVER_ACTION_MAX_BYTES = 64 * 1024;
