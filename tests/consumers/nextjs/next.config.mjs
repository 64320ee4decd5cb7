// This project sits inside another repository: its root is this folder, not the outer lockfile's.
const root = import.meta.dirname;
export default { turbopack: { root }, outputFileTracingRoot: root };
