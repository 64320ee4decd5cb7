// useTokenStore(store): useSyncExternalStore with all three arguments, so a server render and the
// client's hydration both start from the store's server snapshot.
import { useSyncExternalStore } from "react";

export function useTokenStore(store) {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
}
