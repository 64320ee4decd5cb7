// This project sits inside another repository: its root is this folder, not the outer lockfile's.
// cacheComponents: on, as create-next-app sets it.
const root = import.meta.dirname;
export default { turbopack: { root }, outputFileTracingRoot: root, cacheComponents: true };
