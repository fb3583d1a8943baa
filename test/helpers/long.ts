/**
 * Tests too slow for `npm test` in a plain clone, which must stay under about 5 minutes on two
 * cores: they run where `GUILD_STAGE_LONG_TESTS=1` (`.ci/run` sets it) and elsewhere skip with
 * {@link LONG_SKIP} in their name. Use as `describe.skipIf(!LONG)(\`name${LONG_SKIP}\`, ...)`.
 */
export const LONG = process.env.GUILD_STAGE_LONG_TESTS === '1';

/** Appended to the name of a long describe or test, so a skip says why. */
export const LONG_SKIP = LONG ? '' : ' [skipped: long test; GUILD_STAGE_LONG_TESTS=1 runs it, as .ci/run does]';
