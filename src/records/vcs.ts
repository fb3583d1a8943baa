/**
 * The `vcs_commit` attr: the commit the project was at, as Guild AI records it (`git:<sha>`),
 * so `guild runs info` and `guild compare` can show which code a run came from.
 */
import { runGit } from '../git.js';

/** `git:<sha>` of the checkout containing `projectDir`, or null outside git (or without git). */
export async function vcsCommit(projectDir: string): Promise<string | null> {
  const result = await runGit(['rev-parse', '--verify', 'HEAD'], { cwd: projectDir });
  const sha = result.stdout.trim();
  return result.exitCode === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? `git:${sha}` : null;
}
