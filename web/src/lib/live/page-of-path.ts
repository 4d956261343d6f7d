// Which screen this is, told to the server at the handshake (`auth.page`) so that its metrics count
// live clients by page. The server counts only the names it knows; a wall also says so in its hello.

export type ScreenPage = 'wall' | 'supervisor' | 'command';

export function pageOfPath(pathname: string): ScreenPage | undefined {
  const first = pathname.split('/')[1];
  return first === 'wall' || first === 'supervisor' || first === 'command' ? first : undefined;
}
