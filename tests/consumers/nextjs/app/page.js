// A server component, prerendered by `next build` (cacheComponents), around the client component that
// reads the store.
import Auth from "./auth.js";

export default function Page() {
  return (
    <main>
      <h1>tokenstore in Next.js</h1>
      <p id="rendered">rendered on the server</p>
      <Auth />
    </main>
  );
}
