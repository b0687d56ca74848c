import picocolors from 'picocolors';

/**
 * Colour only for a person at a terminal: picocolors alone also colours when `CI` is set, which
 * puts escape codes into piped output and log files. NO_COLOR turns it off; FORCE_COLOR on.
 */
const wanted = 'FORCE_COLOR' in process.env || (!('NO_COLOR' in process.env) && process.stdout.isTTY === true && process.env['TERM'] !== 'dumb');

export const pc = picocolors.createColors(wanted);
