import { createContext } from 'svelte';
import type { LiveClient } from './live-client.svelte.js';

/** The one live connection of the page, created by the root layout and read by every screen. */
export const [getLiveClient, setLiveClient] = createContext<LiveClient>();
