import { InvalidArgumentError, Option } from 'commander';
import { checkZone, DEFAULT_ZONE } from '../core/zoned-time.js';

/** `--tz`, the same on every command: people see local times with the zone's abbreviation, JSON keeps UTC. */
export function tzOption(what = 'time zone for times shown to people (IANA name); JSON keeps UTC'): Option {
  return new Option('--tz <zone>', what).default(DEFAULT_ZONE).argParser((value: string) => {
    try {
      return checkZone(value);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  });
}
