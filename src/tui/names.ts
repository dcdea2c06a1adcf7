import { MAX_NAME_CHARACTERS, isValidName } from '../protocol/index.js';

/** The name to ask for when none was given: the login name, when the server would take it. */
export function defaultName(env: NodeJS.ProcessEnv): string | undefined {
  const login = env.USER || env.LOGNAME || env.USERNAME;
  return login !== undefined && isValidName(login) ? login : undefined;
}

/** `alice-2`, `alice-3`…: the name to try after `base` is taken, cut so the whole stays a valid name. */
export function nextFreeName(base: string, attempt: number): string {
  const suffix = `-${attempt}`;
  return [...base].slice(0, MAX_NAME_CHARACTERS - suffix.length).join('') + suffix;
}
